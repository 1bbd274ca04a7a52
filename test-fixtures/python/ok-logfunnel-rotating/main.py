# Near-miss: logfunnel.RotatingFileHandler funnels every process's records to one writer, so 4 Pool workers may share it safely.
import logging
import multiprocessing
import os

import logfunnel


def init_worker():
    logger = logging.getLogger()
    logger.addHandler(logfunnel.RotatingFileHandler('logs/app.log', maxBytes=1 << 20, backupCount=5))
    logger.setLevel(logging.INFO)


def work(n):
    logging.info('work item %d', n)
    return n


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with multiprocessing.Pool(4, initializer=init_worker) as pool:
        pool.map(work, range(800))
        pool.close()
        pool.join()
