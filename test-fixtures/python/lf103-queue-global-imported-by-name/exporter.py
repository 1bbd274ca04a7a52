import logging
import logging.handlers

from logqueue import log_queue


def export(n):
    logger = logging.getLogger('exporter')
    logger.addHandler(logging.handlers.QueueHandler(log_queue))  # expect: LF103 warning
    logger.setLevel(logging.INFO)
    for i in range(100):
        logger.info('batch %d record %d', n, i)
