"""Production gunicorn settings; the Procfile names this file and sizes the pool itself."""
bind = "0.0.0.0:8000"
workers = 8
timeout = 60
accesslog = "-"
errorlog = "logs/gunicorn-error.log"  # expect: LF002 warning
loglevel = "info"
