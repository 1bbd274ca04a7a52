# uWSGI without lazy-apps loads the app once and forks the workers from it: the per-pid file name below is the loading process's pid, and all 4 workers append to that one file (LF002).
import logging
import os

os.makedirs("logs", exist_ok=True)
logging.basicConfig(filename=f"logs/app-{os.getpid()}.log", level=logging.INFO)  # expect: LF002 warning
log = logging.getLogger(__name__)


def application(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
