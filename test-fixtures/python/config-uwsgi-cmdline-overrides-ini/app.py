# uwsgi.ini says one process, but the Procfile runs it with --processes 4, which overrides the ini: 4 workers each import this module and append to one file (LF002).
import logging
import os

os.makedirs("logs", exist_ok=True)
logging.basicConfig(filename="logs/app.log", level=logging.INFO, format="%(asctime)s %(process)d %(message)s")  # expect: LF002 warning
log = logging.getLogger(__name__)


def application(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
