wsgi_app = "app:app"
bind = "0.0.0.0:8000"
workers = 1
worker_class = "gthread"
threads = 8
