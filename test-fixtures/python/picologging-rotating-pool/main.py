# picologging's RotatingFileHandler behaves like the stdlib one: built in the task of 4 Pool workers on one path (LF001).
import multiprocessing
import os

import picologging
import picologging.handlers


def task_logger():
    logger = picologging.getLogger('pico')
    if not logger.handlers:
        logger.addHandler(picologging.handlers.RotatingFileHandler('logs/pico.log', maxBytes=1 << 16, backupCount=10))  # expect: LF001 warning
        logger.setLevel(picologging.INFO)
    return logger


def work(n):
    task_logger().info('item %d', n)
    return n


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with multiprocessing.Pool(4) as pool:
        pool.map(work, range(200))  # related: LF001
