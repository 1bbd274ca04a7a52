# Near-miss: the children take the queue from an inherited global, but the start method is explicitly fork, so the global is always there.
import logging
import logging.handlers
import multiprocessing
import os

log_queue = None  # set by the parent below; children rely on inheriting it


def worker(n):
    root = logging.getLogger()
    root.addHandler(logging.handlers.QueueHandler(log_queue))
    root.setLevel(logging.INFO)
    for i in range(200):
        logging.info('worker %d record %d', n, i)


if __name__ == '__main__':
    multiprocessing.set_start_method('fork')
    os.makedirs('logs', exist_ok=True)
    log_queue = multiprocessing.Queue()
    listener = logging.handlers.QueueListener(log_queue, logging.FileHandler('logs/fork-queue.log'))
    listener.start()
    procs = [multiprocessing.Process(target=worker, args=(n,)) for n in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    listener.stop()
