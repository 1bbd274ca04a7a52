# Two findings in one project: a module-level FileHandler for errors (LF002: fork inherits it, spawn re-imports it) and a RotatingFileHandler added by the Pool initializer in each of 3 workers (LF001).
import logging
import multiprocessing
import os
from logging.handlers import RotatingFileHandler

os.makedirs('logs', exist_ok=True)
errors = logging.getLogger('errors')
errors.addHandler(logging.FileHandler('logs/errors.log'))  # expect: LF002 warning


def init_worker():
    root = logging.getLogger()
    root.addHandler(RotatingFileHandler('logs/all.log', maxBytes=1 << 16, backupCount=10))  # expect: LF001 warning
    root.setLevel(logging.INFO)


def job(n):
    logging.info('job %d ran', n)
    if n % 10 == 0:
        errors.error('job %d hit a sampled error', n)
    return n


if __name__ == '__main__':
    with multiprocessing.Pool(3, initializer=init_worker) as pool:  # related: LF001
        pool.map(job, range(300))  # related: LF002
