# The queue global lives in logqueue.py and the worker in worker.py; only the parent assigns the
# global, so spawned workers build QueueHandler(None) and every record is lost (LF103 across
# modules).
import logging
import logging.handlers
import multiprocessing
import os

import logqueue
from worker import index_shard

if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    spawning = multiprocessing.get_context('spawn')
    logqueue.log_queue = spawning.Queue()
    listener = logging.handlers.QueueListener(logqueue.log_queue, logging.FileHandler('logs/indexer.log'))
    listener.start()
    procs = [spawning.Process(target=index_shard, args=(n,)) for n in range(3)]  # related: LF103
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    listener.stop()
