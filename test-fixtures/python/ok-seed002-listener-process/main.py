# Seed 002 section 3.5 (near-miss): a dedicated listener process owns the RotatingFileHandler; 10 workers only put records on the queue they receive as an argument.
import logging
import logging.handlers
import multiprocessing
import os

from random import choice, random
import time


def listener_configurer():
    root = logging.getLogger()
    # Adapted: the seed rotates at 300 bytes with 10 backups, which drops records; 3000 keeps all 100.
    h = logging.handlers.RotatingFileHandler('logs/test.log', 'a', 3000, 10)
    f = logging.Formatter('%(asctime)s %(processName)-10s %(name)s %(levelname)-8s %(message)s')
    h.setFormatter(f)
    root.addHandler(h)


def listener_process(queue, configurer):
    configurer()
    while True:
        try:
            record = queue.get()
            if record is None:
                break
            logger = logging.getLogger(record.name)
            logger.handle(record)
        except Exception:
            import sys, traceback
            print('Whoops! Problem:', file=sys.stderr)
            traceback.print_exc(file=sys.stderr)


LEVELS = [logging.DEBUG, logging.INFO, logging.WARNING,
          logging.ERROR, logging.CRITICAL]

LOGGERS = ['a.b.c', 'd.e.f']

MESSAGES = [
    'Random message #1',
    'Random message #2',
    'Random message #3',
]


def worker_configurer(queue):
    h = logging.handlers.QueueHandler(queue)
    root = logging.getLogger()
    root.addHandler(h)
    root.setLevel(logging.DEBUG)


# Logs 10 events with random short delays, then ends.
def worker_process(queue, configurer):
    configurer(queue)
    name = multiprocessing.current_process().name
    print('Worker started:%s' % name)
    for i in range(10):
        time.sleep(random() / 100)  # adapted: the seed sleeps up to 1 s
        logger = logging.getLogger(choice(LOGGERS))
        level = choice(LEVELS)
        message = choice(MESSAGES)
        logger.log(level, message)


# Create the queue, start the listener, start ten workers, wait for them, then tell the listener to stop.
def main():
    os.makedirs('logs', exist_ok=True)
    queue = multiprocessing.Queue(-1)
    listener = multiprocessing.Process(target=listener_process,
                                       args=(queue, listener_configurer))
    listener.start()
    workers = []
    for i in range(10):
        # Adapted: the seed passes listener_configurer here, which fails with a TypeError.
        worker = multiprocessing.Process(target=worker_process,
                                         args=(queue, worker_configurer))
        workers.append(worker)
        worker.start()
    for w in workers:
        w.join()
    queue.put_nowait(None)
    listener.join()


if __name__ == '__main__':
    main()
