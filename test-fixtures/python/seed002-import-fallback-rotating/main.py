# Seed 002 section 3.2 fallback: RFHandler is ConcurrentRotatingFileHandler when installed, else the stdlib RotatingFileHandler shared by 4 workers -> LF001 information (depends on the installed package).
import logging
import multiprocessing
import os

try:
    from concurrent_log_handler import ConcurrentRotatingFileHandler as RFHandler
except ImportError:
    # These two lines are optional
    from warnings import warn
    warn('concurrent_log_handler package not installed. Using builtin log handler')
    from logging.handlers import RotatingFileHandler as RFHandler

os.makedirs('logs', exist_ok=True)
logger = logging.getLogger()
rotateHandler = RFHandler('./logs/mylogfile.log', 'a', 1024 * 1024, 5)  # expect: LF001 information
logger.addHandler(rotateHandler)
logger.setLevel(logging.INFO)


def work(n):
    for i in range(200):
        logger.info('worker %d message %d', n, i)


if __name__ == '__main__':
    with multiprocessing.Pool(4) as pool:
        pool.map(work, range(4))  # related: LF001
