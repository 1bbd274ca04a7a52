# A Pool initializer reads the queue from a global the parent sets inside main() (`global LOG_QUEUE`) instead of taking it from initargs: fine under fork, lost under spawn/forkserver (LF103).
import logging
import logging.handlers
import multiprocessing
import os

LOG_QUEUE = None


def init_worker():
    handler = logging.handlers.QueueHandler(LOG_QUEUE)  # expect: LF103 warning
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)


def classify(n):
    logging.info('classified sample %d', n)
    return n % 3


def main():
    global LOG_QUEUE
    os.makedirs('logs', exist_ok=True)
    LOG_QUEUE = multiprocessing.Queue()
    listener = logging.handlers.QueueListener(LOG_QUEUE, logging.FileHandler('logs/classify.log'))
    listener.start()
    with multiprocessing.Pool(3, initializer=init_worker) as pool:
        pool.map(classify, range(300))
        pool.close()
        pool.join()
    listener.stop()


if __name__ == '__main__':
    main()
