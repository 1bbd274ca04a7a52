# The children's QueueHandler uses a module-level queue that only the parent's __main__ block assigns: it works under fork, but under spawn/forkserver the child sees None and every record is lost (LF103).
import logging
import logging.handlers
import multiprocessing
import os

log_queue = None  # set by the parent below; children rely on inheriting it


def worker(n):
    root = logging.getLogger()
    root.addHandler(logging.handlers.QueueHandler(log_queue))  # expect: LF103 warning
    root.setLevel(logging.INFO)
    for i in range(200):
        logging.info('worker %d record %d', n, i)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    log_queue = multiprocessing.Queue()
    listener = logging.handlers.QueueListener(log_queue, logging.FileHandler('logs/global-queue.log'))
    listener.start()
    procs = [multiprocessing.Process(target=worker, args=(n,)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    listener.stop()
