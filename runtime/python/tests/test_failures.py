"""Processes dying mid-run: the writer (SIGKILL and normal exit) and a producer."""

import os
import signal
import subprocess
import sys
import time

import _support as s

MAX_BYTES = 65536  # some rotations, cheap enough that the writer keeps up


def _start(path, tag, count, **opts):
    cmd = [sys.executable, os.path.join(s.HERE, "_producer.py"), path, tag, str(count),
           "--max-bytes", str(MAX_BYTES)]
    for name, value in opts.items():
        flag = "--" + name
        cmd += [flag] if value is True else [flag, str(value)]
    with open(path + "." + tag + ".stderr", "wb") as err:
        proc = subprocess.Popen(cmd, env=s.child_env(), stdout=subprocess.DEVNULL, stderr=err)
    s.track(proc)
    return proc


def _wait_for(path, timeout=30):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        assert time.monotonic() < deadline, "%s never appeared" % path
        time.sleep(0.01)


def _emitted(path, tag):
    with open(path + "." + tag + ".progress", "rb") as f:
        return int(f.read() or 0)


def _files(path):
    return s.rotating_files_oldest_first(path)


def _wait_until_on_disk(path, tag, timeout=30):
    """Until the log holds a record of `tag`: a loaded machine may take longer than a fixed
    sleep for a producer's first records to reach the writer and the file."""
    deadline = time.monotonic() + timeout
    while True:
        for name in _files(path):
            try:
                with open(name, "rb") as f:
                    if any((m := s.LINE.match(line)) and m.group(1).decode() == tag for line in f):
                        return
            except FileNotFoundError:
                pass  # rotated away between the listing and the open
        assert time.monotonic() < deadline, "no record of %s reached %s" % (tag, path)
        time.sleep(0.05)


def _start_writer_then_producers(path, tmp_path, tags, count, pace):
    ready = str(tmp_path / "writer.ready")
    writer = _start(path, "W", 0, forever=True, ready=ready, pace=10)
    _wait_for(ready)  # W flushed alone, so W is the writer
    producers = [_start(path, tag, count, pace=pace) for tag in tags]
    return writer, producers


def test_writer_sigkill_loses_nothing_from_the_others(tmp_path):
    path = str(tmp_path / "app.log")
    tags = ["a", "b", "c"]
    writer, producers = _start_writer_then_producers(path, tmp_path, tags, 4000, pace=20)
    time.sleep(0.3)
    assert all(p.poll() is None for p in producers), "producers finished before the kill"
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    for p in producers:
        assert p.wait(timeout=120) == 0
    # Records the dead writer had written but not yet acked are resent: they
    # may appear twice (one frame per producer at most); a write() cut by the
    # kill may leave one torn line.  Nothing from a living producer is lost.
    lines = []
    malformed = 0
    for name in _files(path):
        with open(name, "rb") as f:
            for line in f:
                m = s.LINE.match(line)
                if m:
                    lines.append((m.group(1).decode(), int(m.group(2))))
                else:
                    malformed += 1
    assert malformed <= 1
    for tag in tags:
        seqs = [q for t, q in lines if t == tag]
        assert sorted(set(seqs)) == list(range(4000)), "records of %s lost" % tag
        first_seen = sorted(set(seqs), key=seqs.index)
        assert first_seen == list(range(4000)), "order of %s broken" % tag
        assert len(seqs) - 4000 <= 4000 // 2, "too many duplicates from %s" % tag
    w_seqs = sorted(set(q for t, q in lines if t == "W"))
    assert w_seqs == list(range(len(w_seqs)))  # the killed writer lost only a tail


def test_producer_sigkill_loses_only_its_unshipped_tail(tmp_path):
    path = str(tmp_path / "app.log")
    writer, producers = _start_writer_then_producers(path, tmp_path, ["a", "b"], 3000, pace=20)
    victim_ready = str(tmp_path / "victim.ready")
    victim = _start(path, "k", 0, forever=True, pace=20, ready=victim_ready)
    _wait_for(victim_ready)
    # Killed once some of its records are on disk (so that 0 < found below says they were kept),
    # with more still coming (it logs forever).
    _wait_until_on_disk(path, "k")
    time.sleep(0.1)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    emitted = _emitted(path, "k")
    for p in producers:
        assert p.wait(timeout=120) == 0
    writer.terminate()  # SIGTERM: flushes and hands over
    assert writer.wait(timeout=60) == -signal.SIGTERM
    found = s.check(_files(path), {"a": 3000, "b": 3000, "W": _emitted(path, "W"), "k": emitted},
                    prefix_ok={"k"})
    assert 0 < found["k"] <= emitted
    print("producer SIGKILL: emitted %d, on disk %d, lost %d" % (emitted, found["k"], emitted - found["k"]))


def test_writer_exiting_normally_hands_over_without_loss(tmp_path):
    path = str(tmp_path / "app.log")
    ready = str(tmp_path / "writer.ready")
    first = _start(path, "W", 2000, ready=ready, pace=20)
    _wait_for(ready)
    producers = [_start(path, tag, 4000, pace=20) for tag in "abc"]
    assert first.wait(timeout=60) == 0  # the writer leaves while they log
    assert all(p.poll() is None for p in producers)
    for p in producers:
        assert p.wait(timeout=120) == 0
    files = _files(path)
    s.check(files, {"W": 2000, "a": 4000, "b": 4000, "c": 4000})
    assert s.check_backup_sizes(files, MAX_BYTES) >= 5
