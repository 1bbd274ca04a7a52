"""gunicorn settings shared by every deployment; the Procfile runs a single worker."""
bind = "0.0.0.0:8000"
workers = 4
timeout = 60
accesslog = "logs/access.log"
errorlog = "-"
