# Near-miss: the parent owns the rotating handler; the forked children inherit it but never log (they only compute and return), so only the parent writes.
import logging
import multiprocessing
import os
from logging.handlers import RotatingFileHandler

log = logging.getLogger('primes')


def count_primes(limit):
    count = 0
    for n in range(2, limit):
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            count += 1
    return count


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    log.addHandler(RotatingFileHandler('logs/primes.log', maxBytes=65536, backupCount=3))
    log.setLevel(logging.INFO)
    with multiprocessing.Pool(4) as pool:
        counts = pool.map(count_primes, range(1000, 1200))
    for limit, count in zip(range(1000, 1200), counts):
        log.info('primes below %d: %d', limit, count)
