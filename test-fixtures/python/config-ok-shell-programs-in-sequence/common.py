import logging
from logging.handlers import TimedRotatingFileHandler


def setup(name):
    handler = TimedRotatingFileHandler("nightly.log", when="midnight", backupCount=7)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    return logging.getLogger(name)
