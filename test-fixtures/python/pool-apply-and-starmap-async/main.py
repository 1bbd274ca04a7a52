# The task that builds a FileHandler is dispatched with pool.apply and pool.starmap_async to a Pool of 3 workers: every worker that runs it appends to merge.log (LF002).
import logging
import multiprocessing
import os


def merge(left, right):
    logger = logging.getLogger('merge')
    if not logger.handlers:
        logger.addHandler(logging.FileHandler('logs/merge.log'))  # expect: LF002 warning
        logger.setLevel(logging.INFO)
    logger.info('merged %d and %d', left, right)
    return left + right


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with multiprocessing.Pool(processes=3) as pool:
        first = pool.apply(merge, (0, 1))  # related: LF002
        pending = pool.starmap_async(merge, [(i, i + 1) for i in range(199)])  # related: LF002
        total = first + sum(pending.get(timeout=20))
    print(total)
