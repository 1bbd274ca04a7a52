# No --preload: each of the 4 workers imports this module itself and opens a file named with its own pid (silent).
import logging
import os
from logging.handlers import RotatingFileHandler

os.makedirs("logs", exist_ok=True)
handler = RotatingFileHandler(f"logs/app-{os.getpid()}.log", maxBytes=1_000_000, backupCount=3)
log = logging.getLogger("app")
log.setLevel(logging.INFO)
log.addHandler(handler)


def app(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
