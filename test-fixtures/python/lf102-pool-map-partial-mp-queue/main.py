# The pool's task is functools.partial(process_file, log_queue): the partial pickles its bound multiprocessing.Queue for the workers, and map() raises RuntimeError (LF102).
import functools
import logging
import logging.handlers
import multiprocessing
import os


def process_file(log_queue, path):
    log = logging.getLogger('etl')
    if not log.handlers:
        log.addHandler(logging.handlers.QueueHandler(log_queue))
        log.setLevel(logging.INFO)
    log.info('processing %s', path)
    return len(path)


def main(paths):
    os.makedirs('logs', exist_ok=True)
    log_queue = multiprocessing.Queue()
    listener = logging.handlers.QueueListener(log_queue, logging.FileHandler('logs/etl.log'))
    listener.start()
    job = functools.partial(process_file, log_queue)
    with multiprocessing.Pool(4) as pool:
        sizes = pool.map(job, paths)  # expect: LF102 error
    listener.stop()
    return sizes


if __name__ == '__main__':
    main([f'file-{i}.csv' for i in range(50)])
