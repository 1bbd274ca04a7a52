# Near-miss: Pool(1) has a single worker, the only process that builds and writes the rotating handler; the parent never logs to the file.
import logging
import multiprocessing
import os
from logging.handlers import RotatingFileHandler


def archive(item):
    logger = logging.getLogger('archiver')
    if not logger.handlers:
        logger.addHandler(RotatingFileHandler('logs/archive.log', maxBytes=65536, backupCount=5))
        logger.setLevel(logging.INFO)
    logger.info('archived item %d', item)
    return item


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with multiprocessing.Pool(1) as pool:
        archived = pool.map(archive, range(200))
    print(len(archived), 'archived')
