# billiard (Celery's multiprocessing fork) Pool: the initializer builds a RotatingFileHandler in each of 4 workers on one path (LF001).
import logging
import os
from logging.handlers import RotatingFileHandler

import billiard


def init_worker():
    logging.getLogger().addHandler(RotatingFileHandler('logs/billiard.log', maxBytes=1 << 16, backupCount=10))  # expect: LF001 warning
    logging.getLogger().setLevel(logging.INFO)


def job(n):
    logging.info('job %d', n)
    return n


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    pool = billiard.Pool(processes=4, initializer=init_worker)  # related: LF001
    try:
        pool.map(job, range(200))
    finally:
        pool.close()
        pool.join()
