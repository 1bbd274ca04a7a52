"""A tiny WSGI app: what the workers import."""
import logging
import logging.config
import os

logging.config.fileConfig("logging.ini", defaults={"pid": str(os.getpid())})
log = logging.getLogger(__name__)


def application(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]


app = application
