# Seed 002 section 3.1 (near-miss): the old cloghandler package's ConcurrentRotatingFileHandler (a lock per record) shared by Pool workers is safe; not runnable on Python 3 (see NORUN).
import logging
import multiprocessing
import os

from cloghandler import ConcurrentRotatingFileHandler


def setup():
    logger = logging.getLogger()
    rotateHandler = ConcurrentRotatingFileHandler('./logs/my_logfile.log', "a", 1024 * 1024, 5)
    logger.addHandler(rotateHandler)
    logger.setLevel(logging.DEBUG)


def work(n):
    for i in range(50):
        logging.getLogger().info('This is a info message. %d %d', n, i)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with multiprocessing.Pool(4, initializer=setup) as pool:
        pool.map(work, range(16))
