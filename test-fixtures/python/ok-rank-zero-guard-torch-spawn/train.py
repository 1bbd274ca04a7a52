import logging
import os

import torch.multiprocessing as mp
from logging.handlers import RotatingFileHandler


def train(rank, world_size):
    log = logging.getLogger("train")
    if rank == 0:
        log.addHandler(RotatingFileHandler("train.log", maxBytes=10_000_000, backupCount=3))
    for step in range(100):
        log.info("rank %d step %d", rank, step)


if __name__ == "__main__":
    mp.spawn(train, args=(4,), nprocs=4)
