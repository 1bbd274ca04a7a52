# `from logging.handlers import RotatingFileHandler as RFH` called over several lines in 3 children: the LF001 finding sits on the line where the call starts, the related spawn site inside a multi-line comprehension.
import logging
import os
from logging.handlers import RotatingFileHandler as RFH
from multiprocessing import Process as Proc

LOG_PATH = os.path.join('logs', 'multi.log')


def make_logger():
    logger = logging.getLogger('multi')
    handler = RFH(  # expect: LF001 warning
        LOG_PATH,
        maxBytes=1 << 16,
        backupCount=10,
        encoding='utf-8',
    )
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger


def run(worker_no):
    logger = make_logger()
    for i in range(200):
        logger.info('worker %d line %d', worker_no, i)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    procs = [
        Proc(target=run, args=(n,))  # related: LF001
        for n in range(3)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
