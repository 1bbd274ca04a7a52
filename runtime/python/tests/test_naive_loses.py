"""The problem logfunnel exists for: one stdlib RotatingFileHandler shared by
four forked processes loses records (each process rolls the file over under
the others), while the same workload through logfunnel loses none."""

import glob
import logging
import logging.handlers
import multiprocessing

import _support as s
import logfunnel

PER_PROC = 2500


def _count(path):
    seen = set()
    for name in glob.glob(path + "*"):
        with open(name, "rb") as f:
            for line in f:
                m = s.LINE.match(line)
                if m:
                    seen.add((m.group(1), m.group(2)))
    return len(seen)


def _run(handler):
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(s.LOGGER)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        ctx = multiprocessing.get_context("fork")
        procs = [ctx.Process(target=s.emit, args=(str(i), PER_PROC)) for i in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
    finally:
        logger.removeHandler(handler)
        handler.close()


def test_naive_shared_rotating_handler_loses_records(tmp_path):
    path = str(tmp_path / "naive.log")
    _run(logging.handlers.RotatingFileHandler(path, maxBytes=4096, backupCount=1000))
    lost = 4 * PER_PROC - _count(path)
    print("naive shared RotatingFileHandler lost %d of %d" % (lost, 4 * PER_PROC))
    assert lost > 0


def test_same_workload_through_logfunnel_loses_none(tmp_path):
    path = str(tmp_path / "funnel.log")
    _run(logfunnel.RotatingFileHandler(path, maxBytes=4096, backupCount=1000))
    assert _count(path) == 4 * PER_PROC
