# Both services share the project mount, but api sets LOG_FILE=api.log and beat keeps the
# default app.log: two files, nothing to report.
import logging
import os

LOG_FILE = os.environ.get("LOG_FILE", "app.log")

_handler = logging.FileHandler(LOG_FILE)
_handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
logging.getLogger().addHandler(_handler)
logging.getLogger().setLevel(logging.INFO)
