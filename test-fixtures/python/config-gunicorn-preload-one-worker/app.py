# --preload with one worker: the master imports this module and keeps the handler open, the worker inherits it; only the worker serves requests, so the master writes here only what is logged in it (LF001 information, not a warning).
import logging
from logging.handlers import RotatingFileHandler

log = logging.getLogger("app")
log.setLevel(logging.INFO)
log.addHandler(RotatingFileHandler("logs/app.log", maxBytes=1_000_000, backupCount=3))  # expect: LF001 information
log.info("app module loaded")


def app(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
