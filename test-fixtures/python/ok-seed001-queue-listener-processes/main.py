# Seed 001 (near-miss): 10 processes log through a QueueHandler on a queue passed as an argument; only the QueueListener in the main process writes the rotating file.
# You'll need these imports in your own code
import logging
import logging.handlers
import multiprocessing
import os
# Next import lines for this demo only
from random import random
import sys
import time


# Child process
def worker_process(i: int, log_queue: multiprocessing.Queue):
    # Get the logger and register the queue
    logger = logging.getLogger()
    handler = logging.handlers.QueueHandler(log_queue)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    name = multiprocessing.current_process().name
    logger.info(f'Worker started: {name}')
    for j in range(10):
        time.sleep(random() / 100)  # adapted: the seed sleeps up to 1 s per record
        logger.info(f'{name} {i} {j}')
    logger.info(f'Worker finished: {name}')


def main():
    os.makedirs('logs', exist_ok=True)
    log_queue = multiprocessing.Queue()

    # Two outputs: the file logs/mptest4.log and stderr
    file_handler = logging.handlers.RotatingFileHandler('logs/mptest4.log', 'a', 3000, 5)
    console_handler = logging.StreamHandler(sys.stderr)
    console_handler.setLevel(logging.WARNING)  # adapted: keep 120 INFO lines off the test output
    file_formatter = logging.Formatter('%(asctime)s %(processName)-10s %(levelname)-8s %(message)s')
    file_handler.setFormatter(file_formatter)
    console_formatter = logging.Formatter("%(processName)s %(message)s")
    console_handler.setFormatter(console_formatter)

    # The QueueListener owns the handlers
    listener = logging.handlers.QueueListener(log_queue, console_handler, file_handler,
                                              respect_handler_level=True)
    listener.start()

    workers = []
    for i in range(10):
        worker = multiprocessing.Process(target=worker_process, args=(i, log_queue))
        workers.append(worker)
        worker.start()
    for w in workers:
        w.join()

    listener.stop()


if __name__ == '__main__':
    main()
