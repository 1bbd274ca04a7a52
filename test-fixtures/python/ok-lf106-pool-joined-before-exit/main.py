# Near-miss of LF106: forked pool workers log through an inherited QueueHandler to the parent's QueueListener, and the with block closes and joins the pool before it ends, so every worker exits on its own and flushes its queue first: all 401 records arrive.
import logging
import logging.handlers
import multiprocessing
import os


def transform(n):
    logging.getLogger('transform').info('transformed %d in %d', n, os.getpid())
    return n * 2


def main():
    os.makedirs('logs', exist_ok=True)
    forking = multiprocessing.get_context('fork')
    log_queue = forking.Queue()
    listener = logging.handlers.QueueListener(log_queue, logging.FileHandler('logs/transform.log'))
    listener.start()
    root = logging.getLogger()
    root.addHandler(logging.handlers.QueueHandler(log_queue))
    root.setLevel(logging.INFO)
    try:
        with forking.Pool(4) as pool:
            results = pool.map(transform, range(400))
            pool.close()
            pool.join()
        logging.getLogger('transform').info('%d results', len(results))
    finally:
        listener.stop()


if __name__ == '__main__':
    main()
