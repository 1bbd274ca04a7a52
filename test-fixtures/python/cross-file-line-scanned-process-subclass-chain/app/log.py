# The package's log setup: a rotating file under logs/.
import logging
import logging.handlers
import os


def configure():
    os.makedirs('logs', exist_ok=True)
    handler = logging.handlers.RotatingFileHandler('logs/app.log', maxBytes=1_000_000, backupCount=2)  # expect: LF001 warning
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
