# ProcessPoolExecutor(initializer=setup_logging) adds a FileHandler in every worker (no max_workers = cpu_count workers), all appending to worker.log (LF002).
import logging
import os
from concurrent.futures import ProcessPoolExecutor


def setup_logging(level):
    handler = logging.FileHandler('logs/worker.log')  # expect: LF002 warning
    handler.setFormatter(logging.Formatter('%(process)d %(levelname)s %(message)s'))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(level)


def score(n):
    logging.getLogger('score').info('scored item %d', n)
    return n % 7


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with ProcessPoolExecutor(initializer=setup_logging, initargs=(logging.INFO,)) as pool:  # related: LF002
        print(sum(pool.map(score, range(400))))
