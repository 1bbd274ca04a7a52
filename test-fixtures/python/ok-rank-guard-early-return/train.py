import logging
from multiprocessing import Process
from logging.handlers import RotatingFileHandler


def setup_logging(rank):
    if rank != 0:
        return
    logging.getLogger().addHandler(RotatingFileHandler("train.log", maxBytes=10_000_000, backupCount=3))


def train(rank):
    setup_logging(rank)
    logging.info("rank %d", rank)


if __name__ == "__main__":
    procs = [Process(target=train, args=(r,)) for r in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
