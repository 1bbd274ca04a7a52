"""N processes x M records through one logfunnel.RotatingFileHandler path, for
every way Python starts processes; every record is counted back."""

import concurrent.futures
import logging
import multiprocessing
import os
import subprocess
import sys
import textwrap

import pytest

import _support as s

N_PROCS = 4
PER_PROC = 1500  # ~50-byte lines, maxBytes 2048 -> ~140 rotations per test
MAX_BYTES = 2048


def _check_rotating(path, expected):
    files = s.rotating_files_oldest_first(path)
    s.check(files, expected)
    rotations = s.check_backup_sizes(files, MAX_BYTES)
    assert rotations >= 100
    return files


@pytest.fixture
def log_path(tmp_path):
    yield str(tmp_path / "app.log")
    logger = logging.getLogger(s.LOGGER)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def test_fork_with_handler_created_before_fork(log_path):
    s.configure("rotating", log_path)
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=s.emit, args=(str(i), PER_PROC)) for i in range(N_PROCS)]
    for p in procs:
        p.start()
    s.emit("parent", 500)  # the parent logs at the same time
    for p in procs:
        p.join()
        assert p.exitcode == 0
    logging.getLogger(s.LOGGER).handlers[0].flush()
    expected = {str(i): PER_PROC for i in range(N_PROCS)}
    expected["parent"] = 500
    _check_rotating(log_path, expected)


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_spawn_and_forkserver(log_path, method):
    ctx = multiprocessing.get_context(method)
    procs = [
        ctx.Process(target=s.configure_and_emit, args=("rotating", log_path, str(i), PER_PROC))
        for i in range(N_PROCS)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        assert p.exitcode == 0
    _check_rotating(log_path, {str(i): PER_PROC for i in range(N_PROCS)})


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_pool(log_path, method):
    ctx = multiprocessing.get_context(method)
    tasks = [("t%d" % i, PER_PROC // 2) for i in range(2 * N_PROCS)]
    with ctx.Pool(N_PROCS, initializer=s.configure, initargs=("rotating", log_path)) as pool:
        assert sorted(pool.map(s.emit_task, tasks)) == sorted(t for t, _ in tasks)
        # Leaving the with block calls terminate(): the workers are SIGTERMed,
        # and the records of every completed task must still arrive.
    _check_rotating(log_path, dict(tasks))


POOL_TERMINATE_ITERATIONS = 30


def test_pool_terminate_repeatedly_never_hangs_and_loses_nothing(tmp_path):
    # Regression: a worker blocked in the task queue's semaphore when SIGTERM
    # arrived sometimes never ran our Python-level handler, and terminate()
    # waited for it forever (about 1 run in 30 before the fix; see _sigwatch).
    # Each iteration takes well under a second; the timeout only turns a hang
    # into a failure instead of a stuck CI job.
    proc = subprocess.run(
        [sys.executable, os.path.join(s.HERE, "_pool_terminate.py"), str(tmp_path),
         str(POOL_TERMINATE_ITERATIONS)],
        env=s.child_env(), capture_output=True, text=True,
        timeout=20 * POOL_TERMINATE_ITERATIONS,
    )
    assert proc.returncode == 0, proc.stderr
    for n in range(POOL_TERMINATE_ITERATIONS):
        files = s.rotating_files_oldest_first(str(tmp_path / ("run%03d.log" % n)))
        seqs = sorted(seq for _, seq in s.read_records(files))
        assert seqs == list(range(100)), "run %d: %d of 100 records" % (n, len(seqs))


def test_process_pool_executor(log_path):
    ctx = multiprocessing.get_context("spawn")
    tasks = [("e%d" % i, PER_PROC // 2) for i in range(2 * N_PROCS)]
    with concurrent.futures.ProcessPoolExecutor(
        N_PROCS, mp_context=ctx, initializer=s.configure, initargs=("rotating", log_path)
    ) as pool:
        assert sorted(pool.map(s.emit_task, tasks)) == sorted(t for t, _ in tasks)
    _check_rotating(log_path, dict(tasks))


def test_os_fork_children_exiting_three_ways(log_path):
    # In a separate interpreter: a child of os.fork may leave with sys.exit
    # (atexit runs), or with os._exit after logging.shutdown()/logfunnel.shutdown().
    script = textwrap.dedent("""
        import logging, os, sys
        import _support as s, logfunnel
        s.configure("rotating", sys.argv[1])
        pids = []
        for i in range(4):
            pid = os.fork()
            if pid == 0:
                s.emit(str(i), %d)
                if i == 0:
                    sys.exit(0)
                if i == 1:
                    logging.shutdown()
                    os._exit(0)
                if i == 2:
                    logfunnel.shutdown()
                    os._exit(0)
                raise SystemExit(0)
            pids.append(pid)
        for pid in pids:
            assert os.waitpid(pid, 0)[1] == 0
    """ % PER_PROC)
    subprocess.run([sys.executable, "-c", script, log_path], env=s.child_env(), check=True, timeout=120)
    _check_rotating(log_path, {str(i): PER_PROC for i in range(N_PROCS)})


def test_independent_processes_with_fileconfig_and_dictconfig(log_path, tmp_path):
    ini = tmp_path / "logging.ini"
    ini.write_text(textwrap.dedent("""
        [loggers]
        keys=root,lftest
        [handlers]
        keys=funnel
        [formatters]
        keys=plain
        [logger_root]
        handlers=
        [logger_lftest]
        qualname=lftest
        level=INFO
        handlers=funnel
        propagate=0
        [handler_funnel]
        class=logfunnel.RotatingFileHandler
        formatter=plain
        args=(%r, 'a', 2048, 1000)
        [formatter_plain]
        format=%%(message)s
    """ % log_path))
    modes = ["fileconfig", "dictconfig", "fileconfig", "dictconfig"]
    procs = [
        subprocess.Popen(
            [sys.executable, os.path.join(s.HERE, "_support.py"), mode, log_path, str(i), str(PER_PROC), str(ini)],
            env=s.child_env(),
        )
        for i, mode in enumerate(modes)
    ]
    for p in procs:
        assert p.wait(timeout=120) == 0
    _check_rotating(log_path, {str(i): PER_PROC for i in range(N_PROCS)})
