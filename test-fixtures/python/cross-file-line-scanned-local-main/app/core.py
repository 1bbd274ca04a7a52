# The work: 4 forked pool workers log through whatever the main process configured.
import logging
import multiprocessing
import os

log = logging.getLogger(__name__)


def task(i):
    log.info('task %d in %d', i, os.getpid())
    return i


def run():
    with multiprocessing.Pool(4) as pool:  # related: LF001
        pool.map(task, range(40))
