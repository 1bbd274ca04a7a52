# The pool is started by a method called on a freshly built object (Indexer().run(docs)); its initializer opens the initargs path in each of the 4 workers (LF002).
import logging
import multiprocessing
import os


def init_worker(path):
    logger = logging.getLogger('indexer')
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.FileHandler(path))  # expect: LF002 warning


def index_doc(doc):
    logging.getLogger('indexer').info('indexed %s in %d', doc, os.getpid())


class Indexer:
    def run(self, docs):
        with multiprocessing.Pool(4, initializer=init_worker, initargs=('logs/indexer.log',)) as pool:  # related: LF002
            return pool.map(index_doc, docs)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    Indexer().run(list(range(100)))
