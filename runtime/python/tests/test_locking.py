"""LockingRotatingFileHandler / LockingTimedRotatingFileHandler shared by real processes."""

import collections
import glob
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

PKG_ROOT = Path(__file__).resolve().parents[1]
ENV = dict(os.environ, PYTHONPATH=str(PKG_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
LINE = re.compile(r"P(\d+) (\d+)(?: x*)?")

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file locking")


def run_processes(code, n, *args, timeout=180):
    """Start n independent interpreters (not forks) running code with (index, *args)."""
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), str(i),
                               *map(str, args)], env=ENV, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(n)]
    for p in procs:
        out, err = p.communicate(timeout=timeout)
        assert p.returncode == 0, err
        assert "Traceback" not in err, err  # handleError output would show up here


def backups_oldest_first(base):
    files = [p for p in glob.glob(base + ".*") if re.fullmatch(r"\d+", p.rsplit(".", 1)[1])]
    return sorted(files, key=lambda p: -int(p.rsplit(".", 1)[1]))


def read_lines(paths):
    lines = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        assert text == "" or text.endswith("\n"), "partial last line in %s" % path
        lines += text.splitlines()
    return lines


def per_process_sequences(lines):
    seqs = collections.defaultdict(list)
    for line in lines:
        m = LINE.fullmatch(line)
        assert m, "malformed or interleaved line: %r" % line
        seqs[int(m.group(1))].append(int(m.group(2)))
    return seqs


SIZE_WRITER = """
    import logging, sys
    from logfunnel.locking import LockingRotatingFileHandler
    i, path, count, max_bytes, backups = sys.argv[1], sys.argv[2], int(sys.argv[3]), \\
        int(sys.argv[4]), int(sys.argv[5])
    h = LockingRotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups)
    h.setFormatter(logging.Formatter('%(message)s'))
    log = logging.getLogger('w'); log.addHandler(h); log.setLevel(logging.DEBUG)
    for k in range(count):
        log.info('P%s %d %s', i, k, 'x' * (k % 29))
"""


def test_four_processes_hundreds_of_rotations_nothing_lost(tmp_path):
    base = str(tmp_path / "app.log")
    max_bytes, count = 2048, 3000
    run_processes(SIZE_WRITER, 4, base, count, max_bytes, 400)
    backups = backups_oldest_first(base)
    lines = read_lines(backups + [base])
    seqs = per_process_sequences(lines)
    for p in range(4):
        assert seqs[p] == list(range(count)), "process %d lost, duplicated or reordered" % p
    assert len(backups) >= 100
    longest = max(len(ln) + 1 for ln in lines)
    for b in backups:  # rotated once, at the size limit: within one record of maxBytes
        size = os.path.getsize(b)
        assert max_bytes - longest <= size < max_bytes, (b, size)
    assert os.path.getsize(base) < max_bytes


def test_backup_count_is_respected_and_what_is_kept_is_a_contiguous_tail(tmp_path):
    base = str(tmp_path / "app.log")
    run_processes(SIZE_WRITER, 4, base, 1500, 1024, 3)
    backups = backups_oldest_first(base)
    assert [int(b.rsplit(".", 1)[1]) for b in backups] == [3, 2, 1]
    assert not os.path.exists(base + ".4")
    seqs = per_process_sequences(read_lines(backups + [base]))
    for p in range(4):
        kept = seqs.get(p, [])
        # The oldest records went with deleted backups; the rest is complete and in order.
        assert kept == list(range(1500 - len(kept), 1500)), p
    assert sum(len(v) for v in seqs.values()) > 100


def test_handler_created_before_fork_still_excludes_its_children(tmp_path):
    # flock belongs to the open file description, which fork shares: the handler must
    # take its own lock descriptor in each child or parent and children overlap.
    base = tmp_path / "app.log"
    code = """
        import logging, os, sys
        from logfunnel.locking import LockingRotatingFileHandler
        h = LockingRotatingFileHandler(sys.argv[1], maxBytes=1500, backupCount=300)
        h.setFormatter(logging.Formatter('%(message)s'))
        log = logging.getLogger('f'); log.addHandler(h); log.setLevel(logging.DEBUG)
        log.info('P9 0')
        kids = []
        for i in range(3):
            pid = os.fork()
            if pid == 0:
                for k in range(2000):
                    log.info('P%d %d %s', i, k, 'x' * (k % 17))
                os._exit(0)
            kids.append(pid)
        for k in range(1, 2000):
            log.info('P9 %d %s', k, 'x' * (k % 17))
        for pid in kids:
            assert os.waitpid(pid, 0)[1] == 0
    """
    res = subprocess.run([sys.executable, "-c", textwrap.dedent(code), str(base)], env=ENV,
                         capture_output=True, text=True, timeout=180)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    backups = backups_oldest_first(str(base))
    lines = read_lines(backups + [str(base)])
    seqs = per_process_sequences(lines)
    for p in (0, 1, 2, 9):
        assert seqs[p] == list(range(2000)), p
    longest = max(len(ln) + 1 for ln in lines)
    for b in backups:
        assert 1500 - longest <= os.path.getsize(b) < 1500


TIMED_WRITER = """
    import logging, sys, time
    from logfunnel.locking import LockingTimedRotatingFileHandler
    i, path, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    h = LockingTimedRotatingFileHandler(path, when='S', interval=1, backupCount=0)
    h.setFormatter(logging.Formatter('%(created).6f %(message)s'))
    log = logging.getLogger('t'); log.addHandler(h); log.setLevel(logging.DEBUG)
    end = time.time() + seconds
    k = 0
    while time.time() < end:
        log.info('P%s %d', i, k)
        k += 1
        time.sleep(0.002)
    print(k)
"""


def test_time_rotation_each_second_rotates_once_and_loses_nothing(tmp_path):
    base = str(tmp_path / "app.log")
    counts = []
    procs = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(TIMED_WRITER), str(i),
                               base, "3.2"], env=ENV, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(3)]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0 and "Traceback" not in err, err
        counts.append(int(out))
    backups = sorted(p for p in glob.glob(base + ".*"))
    assert 2 <= len(backups) <= 5, backups  # about one per second, never one per process
    seqs = collections.defaultdict(list)
    for path in backups + [base]:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
        if path != base:
            suffix = path[len(base) + 1:]
            period_end = time.mktime(time.strptime(suffix, "%Y-%m-%d_%H-%M-%S")) + 1
            # No record created after the boundary stayed in the old file.
            assert all(float(ln.split()[0]) < period_end for ln in lines), path
        for ln in lines:
            created, rest = ln.split(" ", 1)
            m = LINE.fullmatch(rest)
            assert m, ln
            seqs[int(m.group(1))].append(int(m.group(2)))
    for i, n in enumerate(counts):
        assert sorted(seqs[i]) == list(range(n)), i


def test_namer_and_rotator_are_honoured(tmp_path):
    base = tmp_path / "app.log"
    code = """
        import logging, os, sys
        from logfunnel.locking import LockingRotatingFileHandler
        h = LockingRotatingFileHandler(sys.argv[1], maxBytes=100, backupCount=3)
        h.namer = lambda name: name + '.bak'
        def rotator(source, dest):
            with open(source) as src, open(dest, 'w') as dst:
                dst.write('ROTATED\\n' + src.read())
            os.remove(source)
        h.rotator = rotator
        h.setFormatter(logging.Formatter('%(message)s'))
        log = logging.getLogger('n'); log.addHandler(h)
        for k in range(10):
            log.warning('line %02d %s', k, 'y' * 20)
    """
    res = subprocess.run([sys.executable, "-c", textwrap.dedent(code), str(base)], env=ENV,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 0 and "Traceback" not in res.stderr, res.stderr
    names = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert names == ["app.log", "app.log.1.bak", "app.log.2.bak", "app.log.3.bak"]
    first = (tmp_path / "app.log.1.bak").read_text().splitlines()
    assert first[0] == "ROTATED" and len(first) == 4
    everything = []
    for name in ["app.log.3.bak", "app.log.2.bak", "app.log.1.bak"]:
        everything += [ln for ln in (tmp_path / name).read_text().splitlines()
                       if ln != "ROTATED"]
    everything += base.read_text().splitlines()
    # 10 lines of 29 bytes, 3 per 100-byte file: 3 backups + the current file hold all.
    assert [int(ln.split()[1]) for ln in everything] == list(range(10))


def test_stdlib_signatures_work_from_dictconfig(tmp_path):
    import logging.config
    sys.path.insert(0, str(PKG_ROOT))
    from logfunnel.locking import LockingRotatingFileHandler, LockingTimedRotatingFileHandler
    logging.config.dictConfig({
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(message)s"}},
        "handlers": {
            "size": {"class": "logfunnel.locking.LockingRotatingFileHandler",
                     "filename": str(tmp_path / "s.log"), "maxBytes": 30, "backupCount": 2,
                     "encoding": "utf-8", "delay": True, "formatter": "plain"},
            "time": {"class": "logfunnel.LockingTimedRotatingFileHandler",
                     "filename": str(tmp_path / "t.log"), "when": "midnight",
                     "backupCount": 2, "utc": True, "formatter": "plain"},
        },
        "loggers": {"dc": {"handlers": ["size", "time"], "level": "INFO",
                           "propagate": False}},
    })
    log = logging.getLogger("dc")
    try:
        assert not (tmp_path / "s.log").exists()  # delay honoured
        for k in range(4):
            log.info("héllo %d %s", k, "z" * 10)
        handlers = list(log.handlers)
        assert isinstance(handlers[0], LockingRotatingFileHandler)
        assert isinstance(handlers[1], LockingTimedRotatingFileHandler)
    finally:
        for h in list(log.handlers):
            log.removeHandler(h)
            h.close()
    assert (tmp_path / "t.log").read_text(encoding="utf-8").count("héllo") == 4
    kept = (tmp_path / "s.log.2").read_text(encoding="utf-8") + \
        (tmp_path / "s.log.1").read_text(encoding="utf-8") + \
        (tmp_path / "s.log").read_text(encoding="utf-8")
    assert kept.splitlines() == ["héllo %d %s" % (k, "z" * 10) for k in (1, 2, 3)]
