"""A tiny WSGI app: what the workers import."""
import logging
from logging.config import dictConfig

from proj.logconf import LOGGING_CONFIG

dictConfig(LOGGING_CONFIG)  # related: LF001
log = logging.getLogger(__name__)


def application(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]


app = application
