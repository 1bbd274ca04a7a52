# The app is preloaded in the master, but logging is set up in post_fork, which only the one worker runs (silent).
import logging

bind = "0.0.0.0:8000"
workers = 1
preload_app = True
wsgi_app = "app:app"


def post_fork(server, worker):
    handler = logging.FileHandler("logs/app.log")
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(message)s"))
    logging.getLogger("app").addHandler(handler)
