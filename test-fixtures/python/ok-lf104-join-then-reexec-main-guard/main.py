# Near miss for LF104: the main block joins its worker before it re-executes itself, so no child of the old image is left writing the log file.
import logging
import os
import sys
from multiprocessing import Process

os.makedirs('logs', exist_ok=True)
logging.basicConfig(filename='logs/app.log', level=logging.INFO)


def work():
    logging.info('child %d', os.getpid())


if __name__ == '__main__':
    worker = Process(target=work)
    worker.start()
    worker.join()
    if not os.environ.get('REEXECUTED'):
        os.environ['REEXECUTED'] = '1'
        os.execv(sys.executable, [sys.executable] + sys.argv)
