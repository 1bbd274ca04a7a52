"""The stdlib-only helper: QueueHandler in workers, QueueListener in the parent."""

import concurrent.futures
import logging
import logging.handlers
import multiprocessing

import pytest

import _support as s
import logfunnel


def _emit_root(args):
    tag, count = args
    for seq in range(count):
        logging.getLogger("anything").info("P%s %06d %s", tag, seq, s.PAD)
    return tag


def _file_handler(path):
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=4096, backupCount=1000)
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler


@pytest.mark.parametrize("manager", [False, True])
def test_pool_spawn_with_initializer(tmp_path, manager):
    path = str(tmp_path / "q.log")
    tasks = [("q%d" % i, 300) for i in range(6)]
    with logfunnel.queue_logging([_file_handler(path)], manager=manager, context="spawn") as ql:
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(3, initializer=ql.worker_initializer, initargs=ql.initargs) as pool:
            pool.map(_emit_root, tasks)
            pool.close()
            pool.join()
    files = s.rotating_files_oldest_first(path)
    s.check(files, dict(tasks))
    s.check_backup_sizes(files, 4096)


def test_process_pool_executor(tmp_path):
    path = str(tmp_path / "q.log")
    tasks = [("e%d" % i, 300) for i in range(4)]
    ql = logfunnel.queue_logging([_file_handler(path)], context="spawn")
    try:
        with concurrent.futures.ProcessPoolExecutor(
            2, mp_context=multiprocessing.get_context("spawn"),
            initializer=ql.worker_initializer, initargs=ql.initargs,
        ) as pool:
            list(pool.map(_emit_root, tasks))
    finally:
        ql.stop()
    ql.stop()  # idempotent
    s.check(s.rotating_files_oldest_first(path), dict(tasks))
