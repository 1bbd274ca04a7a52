# The developer expects %(process)d in a file name to be expanded per process, as in a format string: logging never expands it, so the 3 pool workers share one file literally named app-%(process)d.log (LF002).
import logging
import multiprocessing
import os


def init():
    logger = logging.getLogger()
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.FileHandler('logs/app-%(process)d.log'))  # expect: LF002 warning


def task(i):
    logging.info('pid %d task %d', os.getpid(), i)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with multiprocessing.Pool(3, initializer=init) as pool:  # related: LF002
        pool.map(task, range(30))
