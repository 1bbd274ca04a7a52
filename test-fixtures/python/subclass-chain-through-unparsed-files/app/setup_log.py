import logging

from app.mid import Mid


def setup():
    logging.getLogger().addHandler(Mid("logs/app.log", maxBytes=1 << 20, backupCount=3))  # expect: LF001 warning
