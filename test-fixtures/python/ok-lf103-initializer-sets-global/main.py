# Near-miss: the children's QueueHandler reads a module global, but every spawned Pool worker runs an initializer that assigns that global from the queue it is handed (initargs), as the multiprocessing docs pass a queue to Pool workers: the records reach the one listener under any start method.
import logging
import logging.handlers
import multiprocessing
import os

_log_queue = None


def install_queue(handed):
    global _log_queue
    _log_queue = handed


def transform(n):
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.handlers.QueueHandler(_log_queue))
        root.setLevel(logging.INFO)
    logging.getLogger('transform').info('transformed %d', n)
    return n * 2


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    spawning = multiprocessing.get_context('spawn')
    records = spawning.Queue()
    listener = logging.handlers.QueueListener(records, logging.FileHandler('logs/transform.log'))
    listener.start()
    with spawning.Pool(3, initializer=install_queue, initargs=(records,)) as pool:
        pool.map(transform, range(300))
        pool.close()
        pool.join()
    listener.stop()
