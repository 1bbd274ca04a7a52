import logging
import time

import applog  # noqa: F401

if __name__ == "__main__":
    while True:
        logging.info("serving")
        time.sleep(1)
