"""Shared workload and the count-back checker for the process-model tests.

Every record is one line ``P<tag> <seq:06d> xxxx...``; the checker reads the
whole file set back, oldest file first, and asserts: no malformed (partial or
interleaved) line, no duplicate, nothing missing, per-producer order, backup
sizes within one record of maxBytes, and the number of backups.
"""

import glob
import json
import logging
import logging.config
import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.dirname(HERE)
LOGGER = "lftest"
PAD = "x" * 40
LINE = re.compile(rb"^P(\S+) (\d{6}) x+\n$")
MAX_LINE = len("P%s %06d %s\n" % ("tag-long-enough-99", 0, PAD))


def child_env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([RUNTIME, HERE, env.get("PYTHONPATH", "")])
    return env


#: Child processes a test started; conftest.py kills what is still alive after each test.
TRACKED = []


def track(proc):
    """Registers a child process to be killed after the test if it is still running."""
    TRACKED.append(proc)
    return proc


def kill_tracked():
    while TRACKED:
        proc = TRACKED.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


class Server:
    """A log server subprocess; stop() sends SIGTERM and returns its final stats."""

    def __init__(self, tmp_path, *args):
        self.err_path = tmp_path / ("server-%d.err" % time.monotonic_ns())
        self.err = open(self.err_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "logfunnel.server", *args],
            stdout=subprocess.PIPE, stderr=self.err, env=child_env(), text=True)
        track(self.proc)
        line = self.proc.stdout.readline()
        if not line.startswith("logfunnel.server listening on "):
            self.proc.kill()
            raise AssertionError("server did not start: %r\n%s" % (line, self.stderr()))
        self.address = line.split(" on ", 1)[1].strip()
        self.port = int(self.address.rsplit(":", 1)[1]) if not self.address.startswith(
            "unix:") else None

    def stderr(self):
        if not self.err.closed:
            self.err.flush()
        return self.err_path.read_text()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=30)
        self.err.close()
        assert rc == 0, self.stderr()
        # An interpreter-level complaint (e.g. "SystemError: deallocated bytearray
        # object has exported buffers", once seen in a full run) is printed, not
        # raised: make any such line fail the scenario that produced it.
        assert "SystemError" not in self.stderr(), self.stderr()
        finals = [ln for ln in self.stderr().splitlines()
                  if ln.startswith("logfunnel.server final ")]
        assert finals, self.stderr()
        return json.loads(finals[-1].split(" ", 2)[2])


def make_handler(kind, path, **kw):
    import logfunnel

    if kind == "rotating":
        handler = logfunnel.RotatingFileHandler(
            path, maxBytes=kw.get("maxBytes", 2048), backupCount=kw.get("backupCount", 1000)
        )
    elif kind == "timed":
        handler = logfunnel.TimedRotatingFileHandler(
            path, when="S", interval=1, backupCount=kw.get("backupCount", 0)
        )
    elif kind == "file":
        handler = logfunnel.FileHandler(path)
    elif kind == "watched":
        handler = logfunnel.WatchedFileHandler(path)
    else:
        raise ValueError(kind)
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler


def configure(kind, path, kw=None):
    """Attach a fresh handler to the test logger (used as a Pool initializer too)."""
    logger = logging.getLogger(LOGGER)
    for old in list(logger.handlers):
        logger.removeHandler(old)
    logger.addHandler(make_handler(kind, path, **(kw or {})))
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def emit(tag, count, start=0, sleep_every=0, sleep=0.0):
    import time

    logger = logging.getLogger(LOGGER)
    for seq in range(start, start + count):
        logger.info("P%s %06d %s", tag, seq, PAD)
        if sleep_every and seq % sleep_every == 0:
            time.sleep(sleep)
    return tag


def configure_and_emit(kind, path, tag, count, kw=None):
    configure(kind, path, kw)
    emit(tag, count)


def emit_task(args):
    tag, count = args
    return emit(tag, count)


def rotating_files_oldest_first(path):
    backups = []
    for name in glob.glob(glob.escape(path) + ".*"):
        suffix = name[len(path) + 1:]
        if suffix.isdigit():
            backups.append((int(suffix), name))
    files = [name for _, name in sorted(backups, reverse=True)]
    if os.path.exists(path):
        files.append(path)
    return files


def timed_files_oldest_first(path):
    stamp = re.compile(re.escape(path) + r"\.\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d$")
    backups = sorted(n for n in glob.glob(glob.escape(path) + ".*") if stamp.match(n))
    return backups + ([path] if os.path.exists(path) else [])


def read_records(files):
    """[(tag, seq)] in file order; asserts every line is a whole record."""
    records = []
    for name in files:
        with open(name, "rb") as f:
            for line in f:
                match = LINE.match(line)
                assert match, "malformed line %r in %s" % (line, name)
                records.append((match.group(1).decode(), int(match.group(2))))
    return records


def check(files, expected, prefix_ok=()):
    """expected: {tag: count}.  Tags in prefix_ok (killed producers) may have
    lost a tail but nothing else.  Returns {tag: count found}."""
    records = read_records(files)
    seen = {}
    for tag, seq in records:
        seen.setdefault(tag, []).append(seq)
    assert set(seen) <= set(expected), "unknown producers %r" % (set(seen) - set(expected))
    found = {}
    for tag, count in expected.items():
        seqs = seen.get(tag, [])
        assert len(seqs) == len(set(seqs)), "duplicates from %s" % tag
        assert seqs == sorted(seqs), "order broken for %s" % tag
        if tag in prefix_ok:
            assert seqs == list(range(len(seqs))), "gap in the records of %s" % tag
        else:
            assert len(seqs) == count, "%s: %d of %d records" % (tag, len(seqs), count)
            assert seqs == list(range(count))
        found[tag] = len(seqs)
    return found


def check_backup_sizes(files, max_bytes):
    backups = files[:-1]
    for name in backups:
        size = os.path.getsize(name)
        assert max_bytes - MAX_LINE <= size < max_bytes, "%s has %d bytes" % (name, size)
    return len(backups)


def python_child_main():
    """Entry point of independent processes: ``python _support.py <mode> ...``."""
    mode, path, tag, count = sys.argv[1:5]
    count = int(count)
    if mode == "fileconfig":
        logging.config.fileConfig(sys.argv[5], disable_existing_loggers=False)
    elif mode == "dictconfig":
        logging.config.dictConfig({
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"plain": {"format": "%(message)s"}},
            "handlers": {"funnel": {
                "class": "logfunnel.RotatingFileHandler", "filename": path,
                "maxBytes": 2048, "backupCount": 1000, "formatter": "plain"}},
            "loggers": {LOGGER: {"handlers": ["funnel"], "level": "INFO", "propagate": False}},
        })
    else:
        configure(mode, path)
    emit(tag, count)


if __name__ == "__main__":
    python_child_main()
