"""A tiny WSGI app: what the workers import."""
import logging
from logging.handlers import TimedRotatingFileHandler

log = logging.getLogger(__name__)
log.addHandler(TimedRotatingFileHandler("logs/app.log", when="midnight"))


def application(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]


app = application
