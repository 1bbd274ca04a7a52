"""The shop's log files, set up once per server start."""
import logging
import os
from logging.handlers import RotatingFileHandler


def configure_logging():
    os.makedirs("logs", exist_ok=True)
    handler = RotatingFileHandler("logs/shop.log", maxBytes=5_000_000, backupCount=5)  # expect: LF001 warning
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(message)s"))
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    root.addHandler(handler)
