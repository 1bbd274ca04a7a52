import logging
import os
from concurrent.futures import ProcessPoolExecutor
from logging.handlers import RotatingFileHandler

INSTANCE = os.environ.get("NODE_APP_INSTANCE", "0")


def init_worker():
    pid = os.getpid()
    path = f"logs/worker-{INSTANCE}-{pid}.log"
    logging.getLogger().addHandler(RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3))
    logging.getLogger().setLevel(logging.INFO)


def work(n):
    logging.info("item %d", n)
    return n


if __name__ == "__main__":
    os.makedirs("logs", exist_ok=True)
    with ProcessPoolExecutor(4, initializer=init_worker) as executor:
        list(executor.map(work, range(100)))
