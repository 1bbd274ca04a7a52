# The Pool initializer attaches a TimedRotatingFileHandler in every worker (Pool() = cpu_count workers), all on one path: LF001 under every start method.
import logging
import os
from logging.handlers import TimedRotatingFileHandler
from multiprocessing import Pool


def init_worker():
    handler = TimedRotatingFileHandler('logs/jobs.log', when='midnight', backupCount=7)  # expect: LF001 warning
    handler.setFormatter(logging.Formatter('%(asctime)s %(process)d %(levelname)s %(message)s'))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def resize(image_id):
    log = logging.getLogger('jobs.resize')
    for size in range(10):
        log.info('image %d resized to step %d', image_id, size)
    return image_id


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    pool = Pool(initializer=init_worker)  # related: LF001
    try:
        done = list(pool.imap_unordered(resize, range(40)))
    finally:
        pool.close()
        pool.join()
    print(len(done), 'images')
