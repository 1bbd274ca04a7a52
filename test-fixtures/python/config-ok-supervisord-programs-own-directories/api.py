import logging
import time

import logsetup  # noqa: F401

if __name__ == "__main__":
    while True:
        logging.info("api heartbeat")
        time.sleep(1)
