# Near-miss: a RotatingFileHandler under the __main__ guard, children started from get_context("spawn"): they re-import the module but never run the guarded setup, so only the parent writes.
import logging
import logging.handlers
import multiprocessing
import os

log = logging.getLogger('indexer')


def index(shard):
    log.info('indexing shard %d', shard)
    return shard


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    log.addHandler(logging.handlers.RotatingFileHandler('logs/indexer.log', maxBytes=1 << 20, backupCount=3))
    log.setLevel(logging.INFO)
    ctx = multiprocessing.get_context('spawn')
    workers = [ctx.Process(target=index, args=(n,)) for n in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    for i in range(200):
        log.info('parent merged part %d', i)
