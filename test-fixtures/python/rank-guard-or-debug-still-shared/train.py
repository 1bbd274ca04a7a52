import logging
from multiprocessing import Process
from logging.handlers import RotatingFileHandler


def train(rank, debug):
    if rank == 0 or debug:
        logging.getLogger().addHandler(RotatingFileHandler("train.log", maxBytes=10_000_000, backupCount=3))  # expect: LF001 warning
    logging.info("rank %d", rank)


if __name__ == "__main__":
    procs = [Process(target=train, args=(r, True)) for r in range(4)]  # related: LF001
    for p in procs:
        p.start()
