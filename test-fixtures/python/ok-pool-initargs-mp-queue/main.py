# Near-miss: a multiprocessing.Queue handed to Pool workers through initializer/initargs (allowed: it travels at worker start) feeds a QueueListener that alone writes the file.
import logging
import logging.handlers
import multiprocessing
import os


def init_worker(log_queue):
    root = logging.getLogger()
    root.addHandler(logging.handlers.QueueHandler(log_queue))
    root.setLevel(logging.INFO)


def transform(n):
    logging.getLogger('transform').info('transformed %d', n)
    return n * 2


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    log_queue = multiprocessing.Queue()
    listener = logging.handlers.QueueListener(
        log_queue, logging.handlers.RotatingFileHandler('logs/pipeline.log', maxBytes=1 << 20, backupCount=3))
    listener.start()
    with multiprocessing.Pool(4, initializer=init_worker, initargs=(log_queue,)) as pool:
        pool.map(transform, range(400))
        # close+join, not the implicit terminate(): a killed worker can die holding the queue's
        # write lock or with records still in its feeder thread.
        pool.close()
        pool.join()
    listener.stop()
