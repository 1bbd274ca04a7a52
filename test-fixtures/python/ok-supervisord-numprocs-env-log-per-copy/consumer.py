# supervisord runs 3 copies of consumer.py (numprocs), each told its own log file through
# environment= with %(process_num): one file per copy, nothing to report.
import logging
import os
from logging.handlers import RotatingFileHandler

handler = RotatingFileHandler(os.environ["CONSUMER_LOG"], maxBytes=10_000_000, backupCount=3)
logging.getLogger().addHandler(handler)
logging.getLogger().setLevel(logging.INFO)
logging.info("consumer up")
