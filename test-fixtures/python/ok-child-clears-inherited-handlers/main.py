# Near miss: each child first drops the handlers it inherited (logger.handlers = []) and logs to a file of its own; the shared app.log is the parent's alone.
import logging
import multiprocessing
import os

os.makedirs('logs', exist_ok=True)
logger = logging.getLogger('app')
logger.setLevel(logging.INFO)
logger.addHandler(logging.FileHandler('logs/app.log'))


def child(n):
    own = logging.getLogger('app')
    own.handlers = []
    own.addHandler(logging.FileHandler(f'logs/app-{os.getpid()}.log'))
    for i in range(n):
        own.info('child %d', i)


if __name__ == '__main__':
    logger.info('parent starting')
    procs = [multiprocessing.Process(target=child, args=(20,)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    logger.info('parent done')
