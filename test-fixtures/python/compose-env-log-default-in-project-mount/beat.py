import logging
import time

import common  # noqa: F401

log = logging.getLogger("beat")
while True:
    log.info("beat")
    time.sleep(30)
