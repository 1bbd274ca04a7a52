import logging.handlers
import multiprocessing
import time

workers = 4
wsgi_app = "app:application"


def _log_owner():
    handler = logging.handlers.RotatingFileHandler("app.log", maxBytes=1 << 20, backupCount=3)
    logging.getLogger("owner").addHandler(handler)
    while True:
        time.sleep(60)


def on_starting(server):
    multiprocessing.Process(target=_log_owner, daemon=True).start()
