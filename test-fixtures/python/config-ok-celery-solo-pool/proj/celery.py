import logging
from logging.handlers import RotatingFileHandler

from celery import Celery

app = Celery("proj", broker="redis://localhost:6379/0")
logging.getLogger("proj").addHandler(RotatingFileHandler("logs/proj.log", maxBytes=1_000_000))
