"""BufferingSocketHandler against a real logfunnel server that comes and goes."""

import os
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from _support import Server, child_env, track

ENV = child_env()

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses POSIX signals and fork")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_server(log, port):
    return Server(log.parent, "--port", str(port), "--file", str(log), "--format", "%(name)s|%(message)s")


def start_client(code, *args):
    """A client process that logs a first batch, says 'phase1', waits for a line on stdin."""
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV, text=True)
    return track(proc)


def wait_line(proc, expected):
    line = proc.stdout.readline().strip()
    assert line == expected, (line, proc.stderr.read() if proc.poll() is not None else "")


def finish_client(proc):
    out, err = proc.communicate("go\n", timeout=60)
    assert proc.returncode == 0, err
    return out, err


TWO_PHASE_CLIENT = """
    import logging, sys
    from logfunnel.sockets import BufferingSocketHandler
    port, first, second, capacity, drop, mode = sys.argv[1:7]
    h = BufferingSocketHandler('127.0.0.1', int(port), capacity=int(capacity), drop=drop,
                               json=mode == 'json', acks=mode != 'plain',
                               retry_start=0.05, retry_max=0.2,
                               close_timeout=20)
    log = logging.getLogger('app'); log.propagate = False
    log.addHandler(h); log.setLevel(logging.DEBUG)
    for k in range(int(first)):
        log.info('r%d', k)
    print('phase1', flush=True)
    sys.stdin.readline()          # the server is up now
    for k in range(int(first), int(first) + int(second)):
        log.info('r%d', k)
    h.close()
    print('dropped_total', h.dropped_total, flush=True)
"""


@pytest.mark.parametrize("mode", ["plain", "acks", "json"])
def test_records_logged_while_the_server_is_down_are_delivered_in_order(tmp_path, mode):
    log = tmp_path / "app.log"
    port = free_port()
    client = start_client(TWO_PHASE_CLIENT, port, 500, 5, 10000, "oldest", mode)
    wait_line(client, "phase1")
    server = start_server(log, port)
    out, _ = finish_client(client)
    stats = server.stop()
    assert "dropped_total 0" in out
    assert log.read_text().splitlines() == ["app|r%d" % k for k in range(505)]
    assert stats["records"] == 505 and stats["bad_frames"] == 0


@pytest.mark.parametrize("drop,kept", [("oldest", range(150, 250)), ("newest", range(0, 100))])
def test_overflow_drops_are_counted_and_reported_once_reconnected(tmp_path, drop, kept):
    log = tmp_path / "app.log"
    port = free_port()
    client = start_client(TWO_PHASE_CLIENT, port, 250, 1, 100, drop, "acks")
    wait_line(client, "phase1")
    server = start_server(log, port)
    # The client tries to reconnect only when it logs, and not within its back-off (retry_max
    # 0.2 s) of the last failed try, made before 'phase1': past that, the record it logs next
    # reaches the server. Sent sooner (a server quick to start), it met a full buffer and was
    # dropped, a 151st record.
    time.sleep(0.5)
    out, _ = finish_client(client)
    server.stop()
    lines = log.read_text().splitlines()
    # The warning comes first (it explains the gap), then what was kept, then the rest.
    assert lines[0].startswith("logfunnel.sockets|BufferingSocketHandler dropped 150 record(s)"
                               " (%s first, capacity 100)" % drop), lines[0]
    # The record logged once the server is back found room: it was not dropped.
    assert lines[1:] == ["app|r%d" % k for k in kept] + ["app|r250"]
    assert "dropped_total 150" in out


FORKING_CLIENT = """
    import logging, os, sys
    from logfunnel.sockets import BufferingSocketHandler
    h = BufferingSocketHandler('127.0.0.1', int(sys.argv[1]))
    log = logging.getLogger('fork'); log.propagate = False
    log.addHandler(h); log.setLevel(logging.DEBUG)
    log.info('P9 0')            # the parent is connected before forking
    children = []
    for i in range(3):
        pid = os.fork()
        if pid == 0:
            for k in range(1000):
                log.info('P%d %d', i, k)
            h.close()
            os._exit(0)
        children.append(pid)
    for k in range(1, 1000):
        log.info('P9 %d', k)
    for pid in children:
        assert os.waitpid(pid, 0)[1] == 0
    h.close()
"""


def test_forked_children_do_not_share_the_parents_connection(tmp_path):
    log = tmp_path / "app.log"
    port = free_port()
    server = start_server(log, port)
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(FORKING_CLIENT), str(port)],
                         env=ENV, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    stats = server.stop()
    lines = [ln.split("|", 1)[1] for ln in log.read_text().splitlines()]
    expected = {"P%d %d" % (p, k) for p in (0, 1, 2, 9) for k in range(1000)}
    assert sorted(lines) == sorted(expected)
    assert stats["bad_frames"] == 0 and stats["truncated_frames"] == 0


def test_close_reports_what_could_not_be_delivered(tmp_path):
    port = free_port()
    res = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import logging, sys
        from logfunnel.sockets import BufferingSocketHandler
        h = BufferingSocketHandler('127.0.0.1', int(sys.argv[1]), close_timeout=0.3)
        log = logging.getLogger('x'); log.propagate = False; log.addHandler(h)
        for k in range(7):
            log.warning('never delivered %d', k)
        h.close()
    """), str(port)], env=ENV, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    assert "7 record(s) could not be delivered to 127.0.0.1:%d" % port in res.stderr


def test_a_record_over_the_frame_limit_is_cut_to_fit_and_does_not_block_the_rest(tmp_path):
    log = tmp_path / "app.log"
    port = free_port()
    server = start_server(log, port)
    res = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import logging, sys
        from logfunnel.sockets import BufferingSocketHandler
        h = BufferingSocketHandler('127.0.0.1', int(sys.argv[1]))
        log = logging.getLogger('big'); log.propagate = False; log.addHandler(h)
        log.warning('A' * 3000000)
        log.warning('after the big one')
        h.close()
        print(h.dropped_total)
    """), str(port)], env=ENV, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    stats = server.stop()
    lines = log.read_text().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("big|AAAA") and lines[0].endswith("characters cut]")
    assert len(lines[0]) < (1 << 20)
    assert lines[1] == "big|after the big one"
    assert res.stdout.strip() == "0" and stats["oversize_frames"] == 0
