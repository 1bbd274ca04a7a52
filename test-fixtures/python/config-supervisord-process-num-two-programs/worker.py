import argparse
import logging
import os
from logging.handlers import RotatingFileHandler

parser = argparse.ArgumentParser()
parser.add_argument("--queue", required=True)
args = parser.parse_args()

handler = RotatingFileHandler(os.environ["WORKER_LOG"], maxBytes=10_000_000, backupCount=5)  # expect: LF001 warning
logging.getLogger().addHandler(handler)
logging.getLogger().setLevel(logging.INFO)
logging.info("worker for %s up", args.queue)
