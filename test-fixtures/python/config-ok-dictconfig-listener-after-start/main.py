import logging
import logging.config
import logging.handlers
import threading
from multiprocessing import Process, Queue


def logger_thread(q):
    while True:
        record = q.get()
        if record is None:
            break
        logging.getLogger(record.name).handle(record)


def worker_process(q):
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    root.addHandler(logging.handlers.QueueHandler(q))
    logging.getLogger("foo").info("hello from a worker")


def main():
    q = Queue()
    d = {
        "version": 1,
        "handlers": {
            "file": {"class": "logging.FileHandler", "filename": "mplog.log", "mode": "w"},
            "errors": {"class": "logging.FileHandler", "filename": "mplog-errors.log", "mode": "w", "level": "ERROR"},
        },
        "root": {"level": "DEBUG", "handlers": ["file", "errors"]},
    }
    workers = []
    for i in range(5):
        wp = Process(target=worker_process, name="worker %d" % (i + 1), args=(q,))
        workers.append(wp)
        wp.start()
    logging.config.dictConfig(d)
    lp = threading.Thread(target=logger_thread, args=(q,))
    lp.start()
    for wp in workers:
        wp.join()
    q.put(None)
    lp.join()


if __name__ == "__main__":
    main()
