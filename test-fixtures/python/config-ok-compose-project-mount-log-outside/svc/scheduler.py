import logging
import time

from svc.log import setup

if __name__ == "__main__":
    setup("scheduler")
    while True:
        logging.info("scheduler tick")
        time.sleep(10)
