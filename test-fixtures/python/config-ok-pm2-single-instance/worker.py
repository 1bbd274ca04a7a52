import logging
from logging.handlers import TimedRotatingFileHandler

log = logging.getLogger("worker")
log.addHandler(TimedRotatingFileHandler("logs/worker.log", when="midnight"))

if __name__ == "__main__":
    log.warning("started")
