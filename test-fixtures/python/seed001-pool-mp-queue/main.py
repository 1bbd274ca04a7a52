# Seed 001 (Pool): a multiprocessing.Queue inside starmap arguments -> "RuntimeError: Queue objects should only be shared between processes through inheritance" (LF102); Manager().Queue() is the fix.
import logging
import logging.handlers
import multiprocessing
import os
import sys


def worker_process(i, log_queue):
    root = logging.getLogger()
    if not any(isinstance(h, logging.handlers.QueueHandler) for h in root.handlers):
        # adapted: a pool worker runs several tasks; one QueueHandler per worker, not per task
        root.addHandler(logging.handlers.QueueHandler(log_queue))
    root.setLevel(logging.DEBUG)
    name = multiprocessing.current_process().name
    for j in range(12):
        root.info(f'{name} {i} {j}')


def main():
    os.makedirs('logs', exist_ok=True)
    log_queue = multiprocessing.Queue()
    file_handler = logging.handlers.RotatingFileHandler('logs/mptest4.log', 'a', 3000, 5)
    file_handler.setFormatter(logging.Formatter('%(asctime)s %(processName)-10s %(levelname)-8s %(message)s'))
    listener = logging.handlers.QueueListener(log_queue, file_handler)
    listener.start()
    try:
        args = [(i, log_queue) for i in range(10)]
        with multiprocessing.Pool(10) as pool:
            pool.starmap(worker_process, args)  # expect: LF102 error
    finally:
        listener.stop()


if __name__ == '__main__':
    main()
