# Near-miss of LF103 across modules: the queue global lives in logqueue.py, and the pool's
# initializer (logqueue.install) assigns it in every worker from initargs, as the multiprocessing
# docs do it. Spawned workers log to the parent's listener: all 300 records arrive. The pool is
# closed and joined before `with` ends: its __exit__ terminates the workers, and a worker killed
# before its queue's feeder thread has flushed loses records, or dies holding the queue's write
# lock so that listener.stop() never returns.
import logging
import logging.handlers
import multiprocessing
import os

import logqueue
from worker import index_shard

if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    spawning = multiprocessing.get_context('spawn')
    records = spawning.Queue()
    listener = logging.handlers.QueueListener(records, logging.FileHandler('logs/indexer.log'))
    listener.start()
    with spawning.Pool(3, initializer=logqueue.install, initargs=(records,)) as pool:
        pool.map(index_shard, range(3))
        pool.close()
        pool.join()
    listener.stop()
