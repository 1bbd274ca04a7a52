import logging
import time
from logging.handlers import RotatingFileHandler

log = logging.getLogger("queue")
log.addHandler(RotatingFileHandler("logs/queue.log", maxBytes=5_000_000, backupCount=5))  # expect: LF001 warning
log.setLevel(logging.INFO)


def main():
    while True:
        log.info("polled the queue")
        time.sleep(1)


if __name__ == "__main__":
    main()
