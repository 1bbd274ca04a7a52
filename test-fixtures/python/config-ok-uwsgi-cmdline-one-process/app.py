# The Procfile runs uwsgi.ini with --processes 1, overriding its processes = 4: one worker writes the file (silent).
import logging
import os

os.makedirs("logs", exist_ok=True)
logging.basicConfig(filename="logs/app.log", level=logging.INFO, format="%(asctime)s %(process)d %(message)s")
log = logging.getLogger(__name__)


def application(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
