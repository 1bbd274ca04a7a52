"""A tiny WSGI app: what the workers import."""
import logging
import logging.config

logging.config.dictConfig({
    "version": 1,
    "handlers": {
        "file": {
            "class": "logging.handlers.RotatingFileHandler",  # expect: LF001 warning
            "filename": "logs/app.log",
            "maxBytes": 1_000_000,
            "backupCount": 3,
        },
    },
    "root": {"handlers": ["file"], "level": "INFO"},
})
log = logging.getLogger(__name__)


def application(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]


app = application
