"""A tiny WSGI app: what the workers import."""
import logging
import logging.config

LOGGING = {"version": 1, "handlers": {}, "root": {"level": "INFO", "handlers": []}}
LOGGING["handlers"]["file"] = {
    "class": "logging.handlers.RotatingFileHandler",  # expect: LF001 warning
    "filename": "logs/app.log",
    "maxBytes": 1_000_000,
    "backupCount": 3,
}
LOGGING["root"].update({"handlers": ["file"]})
logging.config.dictConfig(LOGGING)
log = logging.getLogger(__name__)


def application(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]


app = application
