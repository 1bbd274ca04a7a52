import logging
import logging.handlers

LOG = "/logs/events.log"

h = logging.handlers.TimedRotatingFileHandler(LOG, when="H", backupCount=48)  # expect: LF001 warning
logging.getLogger().addHandler(h)
logging.getLogger().setLevel(logging.INFO)
logging.info("ingest start")
