# Near-miss: the path comes from the child's parameter, and each child gets a different value (the loop variable), so every file has one writer.
import logging
import logging.handlers
import multiprocessing
import os


def work(i):
    logger = logging.getLogger(f'w{i}')
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.handlers.RotatingFileHandler(f'logs/w{i}.log', maxBytes=1 << 20, backupCount=2))
    for n in range(200):
        logger.info('worker %d record %d', i, n)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    procs = []
    for i in range(4):
        p = multiprocessing.Process(target=work, args=(i,))
        p.start()
        procs.append(p)
    for p in procs:
        p.join()
