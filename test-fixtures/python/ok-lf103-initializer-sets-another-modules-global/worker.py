import logging
import logging.handlers

import logqueue


def index_shard(n):
    logger = logging.getLogger('indexer')
    if not logger.handlers:
        logger.addHandler(logging.handlers.QueueHandler(logqueue.log_queue))
        logger.setLevel(logging.INFO)
    for i in range(100):
        logger.info('shard %d record %d', n, i)
