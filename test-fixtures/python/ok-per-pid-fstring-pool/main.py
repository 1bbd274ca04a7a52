# Near-miss: each Pool worker opens its own rotating file named after os.getpid(), so no two processes share a path.
import logging
import multiprocessing
import os
from logging.handlers import RotatingFileHandler


def init_worker():
    handler = RotatingFileHandler(f'logs/worker-{os.getpid()}.log', maxBytes=1 << 20, backupCount=2)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)


def parse(n):
    logging.info('parsed record %d', n)
    return n


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with multiprocessing.Pool(4, initializer=init_worker) as pool:
        pool.map(parse, range(400))
