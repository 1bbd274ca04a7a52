# A subclass of a subclass of RotatingFileHandler, defined and built in files without a word
# the prefilter looks for (line-scanned, or with a single run not scanned until needed): each of
# the 4 pool workers opens logs/app.log (LF001).
import logging
import multiprocessing

from app.setup_log import setup


def work(n):
    logging.info("item %d", n)


if __name__ == "__main__":
    with multiprocessing.Pool(4, initializer=setup) as pool:  # related: LF001
        pool.map(work, range(100))
