import logging
import time

import shop.logs  # noqa: F401

log = logging.getLogger("shop.worker")

if __name__ == "__main__":
    while True:
        log.info("polling the order queue")
        time.sleep(5)
