import logging
import os

LOG_FILE = os.environ.get("LOG_FILE", "app.log")

_handler = logging.FileHandler(LOG_FILE)  # expect: LF002 warning
_handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
logging.getLogger().addHandler(_handler)
logging.getLogger().setLevel(logging.INFO)
