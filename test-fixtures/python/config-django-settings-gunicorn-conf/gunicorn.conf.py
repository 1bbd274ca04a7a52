wsgi_app = "proj.wsgi:application"
bind = "0.0.0.0:8000"
workers = 3  # related: LF001
