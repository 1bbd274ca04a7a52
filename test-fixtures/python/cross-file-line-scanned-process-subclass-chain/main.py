# A line-scanned script defines a subclass of the package's Process subclass, whose run() configures logging; three are started from a list comprehension (LF001 in app/log.py: the line scan reads the class's bases and the comprehension).
import logging
import os

from app.base import BaseWorker
from app.log import configure


class MyWorker(BaseWorker):
    def run(self):
        configure()
        for i in range(20):
            logging.getLogger('work').info('step %d in %d', i, os.getpid())


if __name__ == '__main__':
    crew = [MyWorker() for _ in range(3)]  # related: LF001
    for w in crew:
        w.start()
    for w in crew:
        w.join()
