import logging
from logging.handlers import TimedRotatingFileHandler


def configure():
    handler = TimedRotatingFileHandler("/app/logs/app.log", when="midnight", backupCount=14)  # expect: LF001 warning
    logging.basicConfig(handlers=[handler], level=logging.INFO)
