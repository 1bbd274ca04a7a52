import logging
import time

from app import logs  # noqa: F401

log = logging.getLogger(__name__)

if __name__ == "__main__":
    while True:
        log.info("job tick")
        time.sleep(30)
