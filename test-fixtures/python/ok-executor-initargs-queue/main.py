# Near-miss: ProcessPoolExecutor workers get a multiprocessing.Queue through initargs and log via QueueHandler; the main process's QueueListener owns the TimedRotatingFileHandler.
import logging
import logging.handlers
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor


def install_queue_handler(log_queue):
    root = logging.getLogger()
    root.handlers[:] = [logging.handlers.QueueHandler(log_queue)]
    root.setLevel(logging.INFO)


def hash_chunk(chunk):
    logging.info('hashed chunk %d', chunk)
    return hash(chunk)


def main():
    os.makedirs('logs', exist_ok=True)
    log_queue = multiprocessing.Queue()
    file_handler = logging.handlers.TimedRotatingFileHandler('logs/hash.log', when='midnight', backupCount=3)
    listener = logging.handlers.QueueListener(log_queue, file_handler)
    listener.start()
    try:
        with ProcessPoolExecutor(max_workers=3, initializer=install_queue_handler, initargs=(log_queue,)) as executor:
            list(executor.map(hash_chunk, range(300)))
    finally:
        listener.stop()


if __name__ == '__main__':
    main()
