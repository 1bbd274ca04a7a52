import logging
import time
from logging.handlers import RotatingFileHandler

log = logging.getLogger("worker")
log.addHandler(RotatingFileHandler("logs/worker.log", maxBytes=1_000_000, backupCount=3))  # expect: LF001 warning
log.setLevel(logging.INFO)


def main():
    while True:
        log.info("tick")
        time.sleep(1)


if __name__ == "__main__":
    main()
