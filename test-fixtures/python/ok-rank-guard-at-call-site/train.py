import logging
import torch.multiprocessing as mp
from logging.handlers import RotatingFileHandler


def setup_logging():
    logging.getLogger().addHandler(RotatingFileHandler("train.log", maxBytes=10_000_000, backupCount=3))


def train(rank, world_size):
    if rank == 0:
        setup_logging()
    logging.info("rank %d", rank)


if __name__ == "__main__":
    mp.spawn(train, args=(4,), nprocs=4)
