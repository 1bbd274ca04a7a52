import logging
from logging.handlers import RotatingFileHandler


def get_logger():
    log = logging.getLogger('jobs')
    if not log.handlers:
        log.setLevel(logging.INFO)
        log.addHandler(RotatingFileHandler('logs/jobs.log', maxBytes=4096, backupCount=50))  # expect: LF001 warning
    return log
