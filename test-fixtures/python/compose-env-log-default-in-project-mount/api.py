import logging
import time

import common  # noqa: F401  (configures logging)

log = logging.getLogger("api")
while True:
    log.info("serving")
    time.sleep(2)
