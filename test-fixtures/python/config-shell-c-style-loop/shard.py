import logging
import sys
from logging.handlers import RotatingFileHandler

log = logging.getLogger("shard")
log.addHandler(RotatingFileHandler("shards.log", maxBytes=1_000_000, backupCount=5))  # expect: LF001 warning
log.setLevel(logging.INFO)

if __name__ == "__main__":
    shard = int(sys.argv[1])
    for item in range(1000):
        log.info("shard %d item %d", shard, item)
