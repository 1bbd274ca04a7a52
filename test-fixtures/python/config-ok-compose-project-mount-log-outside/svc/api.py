import logging
import time

from svc.log import setup

if __name__ == "__main__":
    setup("api")
    while True:
        logging.info("api heartbeat")
        time.sleep(10)
