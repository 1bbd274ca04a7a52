# The queue global is assigned by a setter function, but only the parent calls it: spawned children re-import the module, never run the setter, and their QueueHandler gets None, so every record is lost (LF103). A setter the children run, like an initializer, would hand it over.
import logging
import logging.handlers
import multiprocessing
import os

_log_queue = None


def install_queue(handed):
    global _log_queue
    _log_queue = handed


def transform(n):
    root = logging.getLogger()
    root.addHandler(logging.handlers.QueueHandler(_log_queue))  # expect: LF103 warning
    root.setLevel(logging.INFO)
    for i in range(100):
        logging.getLogger('transform').info('worker %d record %d', n, i)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    spawning = multiprocessing.get_context('spawn')
    records = spawning.Queue()
    install_queue(records)
    listener = logging.handlers.QueueListener(records, logging.FileHandler('logs/transform.log'))
    listener.start()
    procs = [spawning.Process(target=transform, args=(n,)) for n in range(3)]  # related: LF103
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    listener.stop()
