# The pool's initializer hands each spawned worker the multiprocessing queue (initargs), as the docs do, but the with block ends the pool with terminate(): a worker killed before its queue's feeder thread has flushed loses records, or dies holding the queue's lock and listener.stop() never returns (LF106).
import logging
import logging.handlers
import multiprocessing
import os


def install(log_queue):
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(log_queue)]
    root.setLevel(logging.INFO)


def index_shard(n):
    for i in range(100):
        logging.getLogger('indexer').info('shard %d record %d', n, i)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    spawning = multiprocessing.get_context('spawn')
    records = spawning.Queue()  # related: LF106
    listener = logging.handlers.QueueListener(records, logging.FileHandler('logs/indexer.log'))
    listener.start()
    with spawning.Pool(3, initializer=install, initargs=(records,)) as pool:  # expect: LF106 warning
        pool.map(index_shard, range(3))
    listener.stop()
