# Near miss: the main process configures a file handler at import; the pool initializer clears the logger's handlers and puts a QueueHandler in their place, and a QueueListener in the main process is the file's only writer (fork and spawn alike).
import logging
import logging.handlers
import multiprocessing
import os

os.makedirs('logs', exist_ok=True)
log = logging.getLogger('app')
log.setLevel(logging.INFO)
log.addHandler(logging.FileHandler('logs/app.log'))


def init(queue):
    worker_log = logging.getLogger('app')
    worker_log.handlers.clear()
    worker_log.addHandler(logging.handlers.QueueHandler(queue))


def task(i):
    logging.getLogger('app').info('task %d in %d', i, os.getpid())


if __name__ == '__main__':
    queue = multiprocessing.Queue()
    listener = logging.handlers.QueueListener(queue, *log.handlers)
    listener.start()
    with multiprocessing.Pool(3, initializer=init, initargs=(queue,)) as pool:
        pool.map(task, range(30))
        pool.close()
        pool.join()
    listener.stop()
