# Seed 002 section 3.2 (near-miss): ConcurrentRotatingFileHandler locks the file for every record, so 4 processes may share it; the analyzer must not flag it.
import logging
import multiprocessing
import os

from concurrent_log_handler import ConcurrentRotatingFileHandler

os.makedirs('logs', exist_ok=True)
logger = logging.getLogger()
rotateHandler = ConcurrentRotatingFileHandler('./logs/mylogfile.log', 'a', 512 * 1024, 5)
logger.addHandler(rotateHandler)
logger.setLevel(logging.DEBUG)


def work(n):
    for i in range(200):
        logger.info('worker %d message %d', n, i)


if __name__ == '__main__':
    logger.info('This is a info message.')
    workers = [multiprocessing.Process(target=work, args=(n,)) for n in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
