"""gunicorn settings for the shop; the server hooks are kept in shop/hooks.py."""
from shop import hooks
from shop.hooks import on_starting  # noqa: F401 (gunicorn looks the hook up by name)

bind = "0.0.0.0:8000"
workers = 3  # related: LF001, LF002
wsgi_app = "shop.wsgi:app"
accesslog = "-"

post_fork = hooks.post_fork
