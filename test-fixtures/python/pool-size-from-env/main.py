# Pool size from the WORKERS environment variable: with 2+ workers each task-built RotatingFileHandler rotates the same file, with 1 it is safe -> LF001 information (depends on WORKERS).
import logging
import multiprocessing
import os
from logging.handlers import RotatingFileHandler


def worker_logger():
    logger = logging.getLogger('fetch')
    if not logger.handlers:
        logger.addHandler(RotatingFileHandler('logs/fetch.log', maxBytes=65536, backupCount=10))  # expect: LF001 information
        logger.setLevel(logging.INFO)
    return logger


def fetch(url_id):
    worker_logger().info('fetched url %d', url_id)
    return url_id


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    workers = int(os.environ.get('WORKERS', '2'))
    with multiprocessing.Pool(workers) as pool:
        pool.map(fetch, range(200))  # related: LF001
