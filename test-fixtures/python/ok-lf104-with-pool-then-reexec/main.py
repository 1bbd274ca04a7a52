# Near miss for LF104: the pool lives in a with-block (leaving it terminates the workers) and the executor is shut down (it waits for its workers) before the process re-executes itself.
import logging
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor


def warm_cache(path):
    logging.info('warming %s', path)


def reload_config():
    executor = ProcessPoolExecutor(2)
    list(executor.map(warm_cache, ['c', 'd']))
    executor.shutdown()
    os.execv(sys.executable, [sys.executable] + sys.argv)


def main():
    logging.basicConfig(level=logging.INFO)
    with multiprocessing.Pool(2) as pool:
        pool.map(warm_cache, ['a', 'b'])
    if os.environ.get('REEXECUTED'):
        return
    os.environ['REEXECUTED'] = '1'
    if len(sys.argv) > 1:
        reload_config()
    os.execv(sys.executable, [sys.executable] + sys.argv)


if __name__ == '__main__':
    main()
