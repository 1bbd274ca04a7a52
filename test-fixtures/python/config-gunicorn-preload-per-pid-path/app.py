# One log file per process, meant to avoid sharing: but --preload imports this module once, in the master, so the 4 workers inherit the master's handler and its one file (LF001).
import logging
import os
from logging.handlers import RotatingFileHandler

os.makedirs("logs", exist_ok=True)
handler = RotatingFileHandler(f"logs/app-{os.getpid()}.log", maxBytes=1_000_000, backupCount=3)  # expect: LF001 warning
log = logging.getLogger("app")
log.setLevel(logging.INFO)
log.addHandler(handler)


def app(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
