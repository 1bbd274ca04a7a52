# ProcessPoolExecutor with mp_context=get_context("spawn"): spawn re-imports tasks.py in each worker, so its module-level RotatingFileHandler exists in every worker (LF001).
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import tasks

if __name__ == '__main__':
    with ProcessPoolExecutor(max_workers=3, mp_context=multiprocessing.get_context('spawn')) as executor:
        counts = list(executor.map(tasks.tokenize, range(300), chunksize=10))  # related: LF001
    tasks.log.info('total tokens %d', sum(counts))
