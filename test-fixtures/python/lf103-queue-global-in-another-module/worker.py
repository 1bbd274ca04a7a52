import logging
import logging.handlers

import logqueue


def index_shard(n):
    root = logging.getLogger()
    root.addHandler(logging.handlers.QueueHandler(logqueue.log_queue))  # expect: LF103 warning
    root.setLevel(logging.INFO)
    for i in range(100):
        logging.getLogger('indexer').info('shard %d record %d', n, i)
