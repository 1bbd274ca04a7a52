import logging
import logging.handlers

h = logging.handlers.TimedRotatingFileHandler("/var/log/app/events.log", when="H", backupCount=48)  # expect: LF001 warning
logging.getLogger().addHandler(h)
logging.getLogger().setLevel(logging.INFO)
logging.info("notify start")
