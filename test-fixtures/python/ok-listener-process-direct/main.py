# Near-miss: one listener Process builds the RotatingFileHandler inside its own target; the 4 workers only hold a QueueHandler on the queue they get as an argument, so the file has one writer.
import logging
import logging.handlers
import multiprocessing
import os


def listen(log_queue):
    handler = logging.handlers.RotatingFileHandler('logs/listener.log', maxBytes=1 << 16, backupCount=10)
    handler.setFormatter(logging.Formatter('%(processName)s %(name)s %(message)s'))
    while True:
        record = log_queue.get()
        if record is None:
            break
        handler.handle(record)
    handler.close()


def work(worker_no, log_queue):
    logger = logging.getLogger(f'worker.{worker_no}')
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.handlers.QueueHandler(log_queue))
    for i in range(200):
        logger.info('item %d', i)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    log_queue = multiprocessing.Queue()
    listener = multiprocessing.Process(target=listen, args=(log_queue,))
    listener.start()
    workers = [multiprocessing.Process(target=work, args=(n, log_queue)) for n in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    log_queue.put(None)
    listener.join()
