# A module-level alias of the setup function (`setup = configure_logging`), called by each task.
import logging
import os
from concurrent.futures import ProcessPoolExecutor
from logging.handlers import RotatingFileHandler


def configure_logging():
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(RotatingFileHandler("logs/tasks.log", maxBytes=4000, backupCount=50))  # expect: LF001 warning
        root.setLevel(logging.INFO)


setup = configure_logging


def work(n):
    setup()
    logging.info("task %d done", n)
    return n


if __name__ == "__main__":
    os.makedirs("logs", exist_ok=True)
    with ProcessPoolExecutor(max_workers=3) as executor:  # related: LF001
        list(executor.map(work, range(300)))
