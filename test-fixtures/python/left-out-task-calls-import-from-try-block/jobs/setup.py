import logging
from logging.handlers import RotatingFileHandler


def configure_worker():
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(RotatingFileHandler('jobs.log', maxBytes=1 << 20, backupCount=3))  # expect: LF001 warning
    root.setLevel(logging.INFO)
