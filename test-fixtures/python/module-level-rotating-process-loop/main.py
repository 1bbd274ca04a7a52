# RotatingFileHandler set up at module top level of the main script; 4 children started in a loop log through it (fork inherits it, spawn re-runs the module): LF001.
import logging
import logging.handlers
import multiprocessing
import os

os.makedirs('logs', exist_ok=True)
log = logging.getLogger('svc')
log.setLevel(logging.INFO)
_handler = logging.handlers.RotatingFileHandler('logs/service.log', maxBytes=8192, backupCount=40)  # expect: LF001 warning
_handler.setFormatter(logging.Formatter('%(process)d %(levelname)s %(message)s'))
log.addHandler(_handler)


def serve(shard):
    for i in range(200):
        log.info('shard %d handled request %d', shard, i)


if __name__ == '__main__':
    log.info('starting shards')
    shards = []
    for shard in range(4):
        p = multiprocessing.Process(target=serve, args=(shard,))  # related: LF001
        p.start()
        shards.append(p)
    for p in shards:
        p.join()
    log.info('all shards done')
