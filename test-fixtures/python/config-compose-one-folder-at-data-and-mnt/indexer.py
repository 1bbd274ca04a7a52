import logging
from logging.handlers import RotatingFileHandler

handler = RotatingFileHandler("/mnt/shared/pipeline.log", maxBytes=1_000_000, backupCount=3)  # expect: LF001 warning
logging.getLogger().addHandler(handler)
logging.getLogger().warning("indexing")
