import logging
from logging.handlers import TimedRotatingFileHandler


def configure():
    handler = TimedRotatingFileHandler("logs/app.log", when="midnight", backupCount=14)
    logging.basicConfig(handlers=[handler], level=logging.INFO)
