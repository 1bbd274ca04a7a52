# Seed 002 section 3.3: 4 Pool workers each build the locked TimedRotatingFileHandler subclass on one path; a subclass is still a time-rotating handler per process (LF001).
import logging
import multiprocessing
import os

from handlers_mp import MPTimeRotatingFileHandler


def init_worker():
    root = logging.getLogger()
    handler = MPTimeRotatingFileHandler('logs/timed.log', when='S', interval=1, backupCount=50)  # expect: LF001 warning
    handler.setFormatter(logging.Formatter('%(asctime)s %(process)d %(message)s'))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def job(n):
    for i in range(50):
        logging.info('job %d record %d', n, i)
    return n


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with multiprocessing.Pool(4, initializer=init_worker) as pool:  # related: LF001
        pool.map(job, range(16))
