# A RotatingFileHandler subclass defined in common/handlers.py (re-exported by common/__init__.py) built in the target of 3 processes on one path (LF001).
import logging
import multiprocessing
import os

from common import JsonRotatingHandler


def export(batch):
    logger = logging.getLogger('export')
    logger.setLevel(logging.INFO)
    logger.addHandler(JsonRotatingHandler('logs/export.jsonl', maxBytes=1 << 16, backupCount=10))  # expect: LF001 warning
    for i in range(200):
        logger.info('batch %d row %d', batch, i)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    exporters = [multiprocessing.Process(target=export, args=(b,)) for b in range(3)]  # related: LF001
    for e in exporters:
        e.start()
    for e in exporters:
        e.join()
