# Helper that every task calls to get its logger; the RotatingFileHandler is built in whichever process calls it.
import logging
from logging.handlers import RotatingFileHandler


def task_logger(name):
    logger = logging.getLogger(name)
    if not logger.handlers:
        logger.addHandler(RotatingFileHandler('logs/tasks.log', maxBytes=32768, backupCount=30))  # expect: LF001 warning
        logger.setLevel(logging.INFO)
    return logger
