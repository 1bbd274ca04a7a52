"""gunicorn server hooks, assigned in gunicorn.conf.py."""
import logging
import os


def post_fork(server, worker):
    # Each worker names its audit file after its own pid, after the fork: one file per worker.
    os.makedirs("logs", exist_ok=True)
    audit = logging.getLogger("shop.audit")
    audit.addHandler(logging.FileHandler(f"logs/audit-{os.getpid()}.log"))
