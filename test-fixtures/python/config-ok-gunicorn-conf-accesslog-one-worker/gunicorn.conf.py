# One worker writes the access log; the master opens it but serves no requests (silent).
bind = "0.0.0.0:8000"
workers = 1
wsgi_app = "app:app"
accesslog = "logs/access.log"
errorlog = "-"
