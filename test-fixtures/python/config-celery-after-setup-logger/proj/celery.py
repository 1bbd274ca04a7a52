import logging
from logging.handlers import TimedRotatingFileHandler

from celery import Celery
from celery.signals import after_setup_logger

app = Celery("proj", broker="redis://localhost:6379/0")
app.conf.worker_concurrency = 4  # related: LF001


@after_setup_logger.connect
def add_file_handler(logger, *args, **kwargs):
    handler = TimedRotatingFileHandler("logs/worker.log", when="midnight")  # expect: LF001 warning
    logger.addHandler(handler)
