# The path has the pid in it, but it is computed once, at import in the parent: the 4 forked pool workers inherit the handler with the parent's file and all append to it (LF002 under fork; under spawn each child would compute its own).
import logging
import os
from multiprocessing import Pool

os.makedirs('logs', exist_ok=True)
logging.basicConfig(filename=f'logs/app-{os.getpid()}.log', level=logging.INFO)  # expect: LF002 warning


def work(i):
    logging.info('task %d in %d', i, os.getpid())


if __name__ == '__main__':
    with Pool(4) as pool:  # related: LF002
        pool.map(work, range(40))
