# Near-miss: each child builds "logs/child-%d.log" % os.getpid(), a per-process path, so no file has two writers.
import logging
import multiprocessing
import os


def child_main(job):
    logger = logging.getLogger('job')
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.FileHandler('logs/child-%d.log' % os.getpid()))
    for i in range(200):
        logger.info('job %d step %d', job, i)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    jobs = [multiprocessing.Process(target=child_main, args=(j,)) for j in range(3)]
    for p in jobs:
        p.start()
    for p in jobs:
        p.join()
