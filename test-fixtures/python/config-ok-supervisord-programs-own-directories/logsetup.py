import logging
from logging.handlers import RotatingFileHandler

logging.getLogger().addHandler(RotatingFileHandler("service.log", maxBytes=1_000_000, backupCount=3))
logging.getLogger().setLevel(logging.INFO)
