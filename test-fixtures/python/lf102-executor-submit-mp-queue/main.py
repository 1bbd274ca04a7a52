# A multiprocessing.Queue passed as an argument of ProcessPoolExecutor.submit: pickling it for the task raises "Queue objects should only be shared between processes through inheritance" (LF102).
import logging
import logging.handlers
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor


def task(n, log_queue):
    logger = logging.getLogger('task')
    if not logger.handlers:
        logger.addHandler(logging.handlers.QueueHandler(log_queue))
        logger.setLevel(logging.INFO)
    logger.info('task %d done', n)
    return n


def main():
    os.makedirs('logs', exist_ok=True)
    log_queue = multiprocessing.Queue()
    listener = logging.handlers.QueueListener(log_queue, logging.FileHandler('logs/tasks.log'))
    listener.start()
    try:
        with ProcessPoolExecutor(max_workers=2) as executor:
            futures = []
            for n in range(200):
                futures.append(executor.submit(task, n, log_queue))  # expect: LF102 error
            for f in futures:
                f.result()
    finally:
        listener.stop()


if __name__ == '__main__':
    main()
