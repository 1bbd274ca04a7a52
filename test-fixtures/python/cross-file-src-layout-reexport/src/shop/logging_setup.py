# The shop's logging setup: a size-rotating handler on one fixed path.
import logging
from logging.handlers import RotatingFileHandler


def configure(path='logs/shop.log'):
    root = logging.getLogger()
    root.addHandler(RotatingFileHandler(path, maxBytes=1 << 16, backupCount=10))  # expect: LF001 warning
    root.setLevel(logging.INFO)
