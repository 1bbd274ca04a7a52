import logging
from logging.handlers import RotatingFileHandler
from multiprocessing import Pool


def _init_worker():
    handler = RotatingFileHandler("logs/batch.log", maxBytes=4000, backupCount=50)  # expect: LF001 warning
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)


def _resize(name):
    logging.info("resized %s", name)
    return name


class Runner:
    def __init__(self, chunk_size=10):
        self.chunk_size = chunk_size

    def go(self, names):
        with Pool(3, initializer=_init_worker) as pool:  # related: LF001
            return pool.map(_resize, names, chunksize=self.chunk_size)
