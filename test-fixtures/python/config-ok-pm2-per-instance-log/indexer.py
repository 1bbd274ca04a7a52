import logging
import os
from logging.handlers import RotatingFileHandler

log = logging.getLogger("indexer")
log.addHandler(RotatingFileHandler(f"logs/indexer-{os.environ.get('NODE_APP_INSTANCE', '0')}.log", maxBytes=1_000_000, backupCount=3))
log.setLevel(logging.INFO)

if __name__ == "__main__":
    log.info("indexing")
