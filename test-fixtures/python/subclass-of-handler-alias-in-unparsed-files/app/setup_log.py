import logging

from app.writer import Writer


def setup():
    logging.getLogger().addHandler(Writer("logs/worker.log", maxBytes=1 << 20, backupCount=3))  # expect: LF001 warning
