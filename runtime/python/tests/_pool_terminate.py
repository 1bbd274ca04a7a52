"""Leave ``with multiprocessing.Pool(4)`` (i.e. terminate()) ITERATIONS times,
alternating where the handler is created (in the parent before the fork, or in
the Pool initializer); each iteration logs RECORDS records into its own file.
Prints nothing: the test counts the files.  Run under a timeout: before the
fix, a worker sometimes never ran its SIGTERM handler and this hung."""

import logging
import multiprocessing
import os
import sys

import _support as s

RECORDS = 100


def work(i):
    logging.getLogger(s.LOGGER).info("P%s %06d %s", os.getpid(), i, s.PAD)
    return i


def main(directory, iterations):
    ctx = multiprocessing.get_context("fork")
    for n in range(iterations):
        path = os.path.join(directory, "run%03d.log" % n)
        in_parent = n % 2 == 0
        logger = s.configure("rotating", path) if in_parent else None
        init = None if in_parent else s.configure
        initargs = () if in_parent else ("rotating", path)
        with ctx.Pool(4, initializer=init, initargs=initargs) as pool:
            assert pool.map(work, range(RECORDS)) == list(range(RECORDS))
        if logger is not None:
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
                handler.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
