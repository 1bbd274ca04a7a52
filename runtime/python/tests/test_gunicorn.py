"""gunicorn sync workers, recycled by max_requests, serving concurrent requests
that each log; the master created the handler (--preload) before forking."""

import concurrent.futures
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

import _support as s

gunicorn = pytest.importorskip("gunicorn")

REQUESTS = 120
PER_REQUEST = 40


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, attempts=200):
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=30) as resp:
                return resp.read().decode()
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.05)
    raise AssertionError("gunicorn did not answer " + url)


def test_gunicorn_workers_recycled_by_max_requests(tmp_path):
    path = str(tmp_path / "web.log")
    port = _free_port()
    env = s.child_env()
    env["LFTEST_LOG"] = path
    with open(str(tmp_path / "gunicorn.err"), "wb") as err:
        master = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--preload", "-w", "3", "--max-requests", "15",
             "--max-requests-jitter", "0", "-b", "127.0.0.1:%d" % port, "--chdir", s.HERE,
             "_wsgi_app:app"],
            env=env, stdout=subprocess.DEVNULL, stderr=err,
        )
    try:
        base = "http://127.0.0.1:%d/?n=%d&tag=" % (port, PER_REQUEST)
        _get(base + "warmup")
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            pids = list(pool.map(lambda i: _get(base + "r%d" % i), range(REQUESTS)))
        assert len(set(pids)) > 3  # workers were recycled while logging
        master.send_signal(signal.SIGTERM)  # graceful: workers finish and exit
        assert master.wait(timeout=60) == 0
    finally:
        if master.poll() is None:
            master.kill()
            master.wait()
    files = s.rotating_files_oldest_first(path)
    expected = {"r%d" % i: PER_REQUEST for i in range(REQUESTS)}
    expected["warmup"] = PER_REQUEST
    s.check(files, expected)
    assert s.check_backup_sizes(files, 2048) >= 100
