bind = "0.0.0.0:8000"
workers = 3  # related: LF002
accesslog = "-"
errorlog = "logs/gunicorn-error.log"  # expect: LF002 warning
