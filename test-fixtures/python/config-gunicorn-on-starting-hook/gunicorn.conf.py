"""gunicorn settings for the shop service: the master sets up logging before it forks."""
import logging

from shop.logging_setup import configure_logging

bind = "0.0.0.0:8000"
workers = 4  # related: LF001, LF002
wsgi_app = "shop.wsgi:app"
accesslog = "-"


def on_starting(server):
    # Runs once, in the master, before any worker exists: every worker inherits the handler.
    configure_logging()


def when_ready(server):
    audit = logging.getLogger("shop.audit")
    audit.addHandler(logging.FileHandler("logs/audit.log"))  # expect: LF002 warning
    audit.info("listening, workers about to start")
