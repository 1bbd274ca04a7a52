# The pool's initializer opens the path it is given in initargs: every worker gets the same value, so the 4 workers append to one file (LF002; a task's arguments would differ, initargs do not).
import logging
import multiprocessing
import os


def init_worker(path):
    logger = logging.getLogger('indexer')
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.FileHandler(path))  # expect: LF002 warning


def index_doc(doc):
    logging.getLogger('indexer').info('indexed %s in %d', doc, os.getpid())


def run(docs):
    with multiprocessing.Pool(4, initializer=init_worker, initargs=('logs/indexer.log',)) as pool:  # related: LF002
        return pool.map(index_doc, docs)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    run(list(range(200)))
