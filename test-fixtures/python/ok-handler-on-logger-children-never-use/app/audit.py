import logging
from logging.handlers import RotatingFileHandler

audit = logging.getLogger("audit")
audit.addHandler(RotatingFileHandler("logs/audit.log", maxBytes=1_000_000, backupCount=5))
audit.setLevel(logging.INFO)
audit.propagate = False
