# Forked pool workers inherit the parent's QueueHandler and log through its multiprocessing queue to the one QueueListener, but leaving the with block terminates them: records still in a worker's feeder buffer are lost (LF106).
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
    log_queue = forking.Queue()  # related: LF106
    listener = logging.handlers.QueueListener(log_queue, logging.FileHandler('logs/transform.log'))  # related: LF106
    listener.start()
    root = logging.getLogger()
    root.addHandler(logging.handlers.QueueHandler(log_queue))
    root.setLevel(logging.INFO)
    try:
        with forking.Pool(4) as pool:  # expect: LF106 warning
            results = pool.map(transform, range(400))
        logging.getLogger('transform').info('%d results', len(results))
    finally:
        listener.stop()


if __name__ == '__main__':
    main()
