import logging
import multiprocessing

try:
    from jobs.setup import configure_worker
except ImportError:  # an older layout
    configure_worker = None


def crunch(n):
    configure_worker()
    total = sum(i * i for i in range(n))
    logging.info('crunched %d: %d', n, total)
    return total


def checksum_0(values):
    total = 0
    for v in values:
        total = (total * 31 + v + 0) % 1_000_003
    return total

def checksum_1(values):
    total = 0
    for v in values:
        total = (total * 31 + v + 1) % 1_000_003
    return total

def checksum_2(values):
    total = 0
    for v in values:
        total = (total * 31 + v + 2) % 1_000_003
    return total

def checksum_3(values):
    total = 0
    for v in values:
        total = (total * 31 + v + 3) % 1_000_003
    return total

def checksum_4(values):
    total = 0
    for v in values:
        total = (total * 31 + v + 4) % 1_000_003
    return total

def checksum_5(values):
    total = 0
    for v in values:
        total = (total * 31 + v + 5) % 1_000_003
    return total


if __name__ == '__main__':
    with multiprocessing.Pool(3) as pool:  # related: LF001
        print(pool.map(crunch, [10, 20, 30]))
