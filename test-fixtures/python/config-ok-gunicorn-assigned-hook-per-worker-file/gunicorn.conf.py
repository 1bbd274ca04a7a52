"""gunicorn settings for the shop; the worker hook is kept in shop/hooks.py."""
from shop import hooks

bind = "0.0.0.0:8000"
workers = 3
wsgi_app = "shop.wsgi:app"
accesslog = "-"

post_fork = hooks.post_fork
