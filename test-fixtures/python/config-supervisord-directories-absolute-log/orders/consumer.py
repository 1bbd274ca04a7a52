import logging
import time

from orders import logconf  # noqa: F401

log = logging.getLogger("orders.consumer")

if __name__ == "__main__":
    while True:
        log.info("consumed batch")
        time.sleep(1)
