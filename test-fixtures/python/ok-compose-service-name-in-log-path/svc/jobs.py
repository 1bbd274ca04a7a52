import logging
import time

import svc.logs  # noqa: F401

while True:
    logging.getLogger("svc.jobs").info("alive")
    time.sleep(10)
