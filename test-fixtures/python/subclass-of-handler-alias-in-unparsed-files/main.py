# A subclass of RotatingFileHandler through an alias another module exports, defined and built
# in files the prefilter leaves to the line scan (a single run puts those scans off until
# needed): each of the 3 pool workers opens logs/worker.log (LF001).
import logging
import multiprocessing

from app.setup_log import setup


def work(n):
    logging.info("item %d", n)


if __name__ == "__main__":
    with multiprocessing.Pool(3, initializer=setup) as pool:  # related: LF001
        pool.map(work, range(100))
