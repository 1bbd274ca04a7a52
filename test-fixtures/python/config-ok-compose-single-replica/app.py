"""A tiny WSGI app: what the workers import."""
import logging
from logging.handlers import RotatingFileHandler

log = logging.getLogger(__name__)
log.addHandler(RotatingFileHandler("logs/app.log", maxBytes=1_000_000))


def application(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]


app = application
