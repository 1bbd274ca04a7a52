# deploy/uwsgi.ini finds this file through %d and a placeholder, and runs 4 workers (processes = %(web_workers)); each imports it (lazy-apps) and opens the same rotating file (LF001).
import logging
import os
from logging.handlers import RotatingFileHandler

os.makedirs("logs", exist_ok=True)
log = logging.getLogger("site")
log.setLevel(logging.INFO)
log.addHandler(RotatingFileHandler("logs/site.log", maxBytes=2_000_000, backupCount=4))  # expect: LF001 warning


def application(environ, start_response):
    log.info("%s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
