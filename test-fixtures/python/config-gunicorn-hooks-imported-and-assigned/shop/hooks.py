"""gunicorn server hooks, imported into gunicorn.conf.py."""
import logging
import os
from logging.handlers import RotatingFileHandler


def on_starting(server):
    # The master, once, before forking: every worker inherits this handler.
    os.makedirs("logs", exist_ok=True)
    handler = RotatingFileHandler("logs/shop.log", maxBytes=5_000_000, backupCount=5)  # expect: LF001 warning
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)


def post_fork(server, worker):
    # Each worker, after the fork: one more handler per worker, all on the same file.
    audit = logging.getLogger("shop.audit")
    audit.addHandler(logging.FileHandler("logs/audit.log"))  # expect: LF002 warning
