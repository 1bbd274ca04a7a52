# FileHandler under the __main__ guard, children inherit it only if the start method (from MP_START_METHOD) is fork -> LF002 information (depends on the start method).
import logging
import multiprocessing
import os

log = logging.getLogger('sync')


def sync_bucket(bucket):
    for i in range(100):
        log.info('bucket %d object %d', bucket, i)


if __name__ == '__main__':
    multiprocessing.set_start_method(os.environ.get('MP_START_METHOD', 'fork'))
    os.makedirs('logs', exist_ok=True)
    log.addHandler(logging.FileHandler('logs/sync.log'))  # expect: LF002 information
    log.setLevel(logging.INFO)
    procs = [multiprocessing.Process(target=sync_bucket, args=(b,)) for b in range(2)]  # related: LF002
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    log.info('sync complete')
