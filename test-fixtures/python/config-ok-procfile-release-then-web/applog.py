import logging
from logging.handlers import RotatingFileHandler

logging.basicConfig(handlers=[RotatingFileHandler("logs/app.log", maxBytes=1_000_000, backupCount=2)], level=logging.INFO)
