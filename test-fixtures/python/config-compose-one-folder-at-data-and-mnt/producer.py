import logging
from logging.handlers import RotatingFileHandler

logging.basicConfig(
    level=logging.INFO,
    handlers=[RotatingFileHandler("pipeline.log", maxBytes=1_000_000, backupCount=3)],  # expect: LF001 warning
)
logging.info("producing")
