# Near miss: the main process logs its preparation to a rotating file, then removes and closes that handler before it starts the pool, so no worker inherits it.
import logging
import os
from logging.handlers import RotatingFileHandler
from multiprocessing import Pool

log = logging.getLogger('prep')


def square(x):
    log.info('square %d', x)
    return x * x


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    log.setLevel(logging.INFO)
    fh = RotatingFileHandler('logs/prep.log', maxBytes=10_000, backupCount=1)
    log.addHandler(fh)
    log.info('preparing input')
    log.removeHandler(fh)
    fh.close()
    with Pool(4) as pool:
        print(sum(pool.map(square, range(40))))
