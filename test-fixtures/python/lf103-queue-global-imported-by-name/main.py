# The exporters take the queue global by name from logqueue.py (`from logqueue import log_queue`),
# which the parent fills in; a spawned exporter re-imports logqueue and binds None, so its
# records are lost (LF103 across modules).
import logging
import logging.handlers
import multiprocessing
import os

import logqueue
from exporter import export

if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    multiprocessing.set_start_method('spawn')
    logqueue.log_queue = multiprocessing.Queue()
    listener = logging.handlers.QueueListener(logqueue.log_queue, logging.FileHandler('logs/exporter.log'))
    listener.start()
    with multiprocessing.Pool(3) as pool:  # related: LF103
        pool.map(export, range(3))
    listener.stop()
