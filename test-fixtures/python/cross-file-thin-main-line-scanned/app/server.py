# The package's server: the handler is built when main.py imports this module, then 4 forked pool workers log through it.
import logging
import os
from logging.handlers import RotatingFileHandler
from multiprocessing import Pool

os.makedirs('logs', exist_ok=True)
logging.getLogger().setLevel(logging.INFO)
logging.getLogger().addHandler(RotatingFileHandler('logs/app.log', maxBytes=1_000_000, backupCount=2))  # expect: LF001 warning


def work(i):
    logging.info('task %d in %d', i, os.getpid())


def serve():
    with Pool(4) as pool:  # related: LF001
        pool.map(work, range(40))
