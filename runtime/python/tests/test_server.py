"""python -m logfunnel.server with real client processes, real files, hostile input."""

import collections
import glob
import os
import re
import subprocess
import sys
import textwrap
import time

import pytest

from _support import Server, child_env

ENV = child_env()

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses POSIX signals and sockets")


def run_python(code, *args, timeout=120):
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
                         env=ENV, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, out.stderr
    return out


def read_lines(pattern):
    lines = []
    for path in sorted(glob.glob(pattern)):
        with open(path, encoding="utf-8") as fh:
            lines += fh.read().splitlines()
    return lines


def assert_all_records(lines, procs, count):
    """Every (proc, seq) exactly once, no malformed line (order is checked separately)."""
    seen = collections.Counter()
    for line in lines:
        m = re.fullmatch(r"P(\d+) (\d+)(?: x*)?", line)
        assert m, "malformed or interleaved line: %r" % line
        p, k = int(m.group(1)), int(m.group(2))
        seen[(p, k)] += 1
    assert [key for key, n in seen.items() if n > 1] == []
    missing = [(p, k) for p in range(procs) for k in range(count) if (p, k) not in seen]
    assert missing == []
    assert len(seen) == procs * count


STDLIB_CLIENT = """
    import logging, logging.handlers, multiprocessing as mp, sys
    def work(i, port, count):
        h = logging.handlers.SocketHandler('127.0.0.1', port)
        log = logging.getLogger('worker'); log.propagate = False
        log.addHandler(h); log.setLevel(logging.DEBUG)
        for k in range(count):
            log.info('P%d %d %s', i, k, 'x' * (k % 23))
        h.close()
    if __name__ == '__main__':
        port, procs, count = map(int, sys.argv[1:4])
        ps = [mp.Process(target=work, args=(i, port, count)) for i in range(procs)]
        for p in ps: p.start()
        for p in ps: p.join()
        assert all(p.exitcode == 0 for p in ps)
"""


def test_records_from_many_stdlib_socket_handlers_all_arrive_with_rotation(tmp_path):
    log = tmp_path / "app.log"
    max_bytes = 1000
    server = Server(tmp_path, "--port", "0", "--file", str(log), "--max-bytes", str(max_bytes),
                    "--backup-count", "1000", "--format", "%(message)s")
    run_python(STDLIB_CLIENT, server.port, 4, 2000)
    stats = server.stop()
    lines = read_lines(str(log) + "*")
    assert_all_records(lines, 4, 2000)
    # Ordered per process: each process's sequence numbers appear in increasing order.
    files = sorted(glob.glob(str(log) + ".*"), key=lambda p: -int(p.rsplit(".", 1)[1]))
    ordered = read_lines_in_order(files + [str(log)])
    for p in range(4):
        seq = [int(ln.split()[1]) for ln in ordered if ln.startswith("P%d " % p)]
        assert seq == sorted(seq)
    backups = files
    assert len(backups) > 100  # hundreds of rotations
    longest = max(len(ln) + 1 for ln in lines)
    for b in backups:
        size = os.path.getsize(b)
        assert max_bytes - longest <= size <= max_bytes, (b, size)
    assert stats["records"] == 8000 and stats["bad_frames"] == 0


def read_lines_in_order(paths):
    lines = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            lines += fh.read().splitlines()
    return lines


HOSTILE_CLIENT = r"""
    import os, pickle, random, socket, struct, sys, time
    port, marker = int(sys.argv[1]), sys.argv[2]

    def conn():
        return socket.create_connection(('127.0.0.1', port), timeout=10)

    def frame(payload):
        return struct.pack('>L', len(payload)) + payload

    def closed_by_server(s):
        # The server closes on us: recv sees EOF or a reset.
        s.settimeout(10)
        try:
            return s.recv(1) == b''
        except ConnectionResetError:
            return True

    class Evil:
        def __reduce__(self):
            return (os.system, ('touch ' + marker,))

    results = {}
    # 1. random garbage
    s = conn(); s.sendall(bytes(random.Random(7).getrandbits(8) for _ in range(5000)))
    results['garbage_closed'] = closed_by_server(s); s.close()
    # 2. a pickle that would run a command, as a whole frame
    s = conn(); s.sendall(frame(pickle.dumps(Evil())))
    results['evil_closed'] = closed_by_server(s); s.close()
    # 3. the same, inside the extras of a normal-looking record, then a good record
    s = conn()
    s.sendall(frame(pickle.dumps({'name': 'h', 'msg': 'evil-extra', 'levelno': 20,
                                  'levelname': 'INFO', 'x': Evil()}, 1)))
    s.sendall(frame(pickle.dumps({'name': 'h', 'msg': 'after-evil', 'levelno': 20,
                                  'levelname': 'INFO'}, 1)))
    s.close()
    # 4. a 4 GB length prefix
    s = conn(); s.sendall(b'\xff\xff\xff\xff' + b'A' * 100)
    results['huge_closed'] = closed_by_server(s); s.close()
    # 5. a slow client: one byte at a time
    s = conn()
    for b in frame(pickle.dumps({'name': 'h', 'msg': 'slow-client', 'levelno': 20,
                                 'levelname': 'INFO'}, 1)):
        s.sendall(bytes([b])); time.sleep(0.001)
    s.close()
    # 6. half-closed: a full frame and half of another, then shutdown(SHUT_WR)
    s = conn()
    good = frame(pickle.dumps({'name': 'h', 'msg': 'half-closed', 'levelno': 20,
                               'levelname': 'INFO'}, 1))
    s.sendall(good + good[:len(good) // 2]); s.shutdown(socket.SHUT_WR)
    results['half_closed_eof'] = closed_by_server(s); s.close()
    # 7. a frame that is valid pickle but not a record
    s = conn(); s.sendall(frame(pickle.dumps([1, 2, 3])))
    results['not_a_record_closed'] = closed_by_server(s); s.close()
    print(repr(results))
"""


def test_hostile_clients_do_not_execute_anything_or_stop_the_server(tmp_path):
    log = tmp_path / "app.log"
    marker = tmp_path / "pwned"
    server = Server(tmp_path, "--port", "0", "--file", str(log), "--format", "%(message)s")
    out = run_python(HOSTILE_CLIENT, server.port, marker)
    results = eval(out.stdout.strip())  # our own repr of a dict of bools
    assert results == {"garbage_closed": True, "evil_closed": True, "huge_closed": True,
                       "half_closed_eof": True, "not_a_record_closed": True}
    assert server.alive()
    # A normal client is still served after all that.
    run_python(STDLIB_CLIENT.replace("'x' * (k % 23)", "'x'"), server.port, 1, 3)
    stats = server.stop()
    assert not marker.exists()
    text = log.read_text()
    messages = text.splitlines()
    assert "evil-extra" in messages and "after-evil" in messages
    assert "slow-client" in messages and "half-closed" in messages
    assert [m for m in messages if m.startswith("P0 ")] == ["P0 0 x", "P0 1 x", "P0 2 x"]
    assert stats["oversize_frames"] >= 1  # the 4 GB prefix (garbage may be one too)
    # garbage, the whole evil pickle and the non-record list: each closed its connection
    assert stats["bad_frames"] + stats["oversize_frames"] == 4
    assert "turned into strings (posix.system)" in server.stderr()
    assert stats["truncated_frames"] == 1
    assert stats["stringified_records"] == 1


def test_objects_refuse_policy_drops_the_record_and_keeps_the_connection(tmp_path):
    log = tmp_path / "app.log"
    server = Server(tmp_path, "--port", "0", "--file", str(log), "--format", "%(message)s",
                    "--objects", "refuse")
    run_python("""
        import datetime, logging, logging.handlers, sys
        h = logging.handlers.SocketHandler('127.0.0.1', int(sys.argv[1]))
        log = logging.getLogger('o'); log.addHandler(h); log.propagate = False
        log.warning('with-object', extra={'when': datetime.datetime(2020, 1, 1)})
        log.warning('plain')
        h.close()
    """, server.port)
    stats = server.stop()
    assert log.read_text() == "plain\n"
    assert stats["refused_records"] == 1


IDLE_CLIENTS = """
    import resource, socket, sys
    port, wanted = int(sys.argv[1]), int(sys.argv[2])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    n = min(wanted, hard - 100)
    socks = []
    for _ in range(n):
        s = socket.socket(); s.connect(('127.0.0.1', port)); socks.append(s)
    print(len(socks), flush=True)
    sys.stdin.readline()   # hold them open until told
"""


def test_ten_thousand_idle_connections_do_not_block_a_real_client(tmp_path):
    import resource
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(10000, hard - 200)
    if wanted < 1000:
        pytest.skip("descriptor hard limit %d is too low" % hard)
    log = tmp_path / "app.log"
    server = Server(tmp_path, "--port", "0", "--file", str(log), "--format", "%(message)s")
    idle = subprocess.Popen([sys.executable, "-c", textwrap.dedent(IDLE_CLIENTS),
                             str(server.port), str(wanted)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=ENV, text=True)
    try:
        opened = int(idle.stdout.readline())
        assert opened >= min(wanted, 1000)
        run_python(STDLIB_CLIENT, server.port, 2, 200)
        assert server.alive()
    finally:
        idle.stdin.write("\n")
        idle.stdin.flush()
        idle.wait(timeout=60)
    stats = server.stop()
    assert_all_records(log.read_text().splitlines(), 2, 200)
    assert stats["connections"] >= opened + 2


def test_sigterm_writes_everything_already_sent(tmp_path):
    log = tmp_path / "app.log"
    server = Server(tmp_path, "--port", "0", "--file", str(log), "--format", "%(message)s")
    # The client sends SIGTERM itself right after its last send and keeps its connection
    # open: the server has to read what is already in its socket buffers before exiting.
    run_python("""
        import logging, logging.handlers, os, signal, sys, time
        h = logging.handlers.SocketHandler('127.0.0.1', int(sys.argv[1]))
        log = logging.getLogger('t'); log.addHandler(h); log.propagate = False
        log.setLevel(logging.DEBUG)
        for k in range(20000):
            log.info('P0 %d', k)
        os.kill(int(sys.argv[2]), signal.SIGTERM)
        time.sleep(1.0)
    """, server.port, server.proc.pid)
    assert server.proc.wait(timeout=30) == 0
    stats = server.stop()
    assert_all_records(log.read_text().splitlines(), 1, 20000)
    assert stats["records"] == 20000


BUFFERING_CLIENT = """
    import logging, multiprocessing as mp, sys, time
    from logfunnel.sockets import BufferingSocketHandler
    def work(i, port, count, use_json):
        h = BufferingSocketHandler('127.0.0.1', port, json=bool(use_json),
                                   capacity=100000, close_timeout=30, retry_max=0.5)
        log = logging.getLogger('w'); log.propagate = False
        log.addHandler(h); log.setLevel(logging.DEBUG)
        for k in range(count):
            log.info('P%d %d %s', i, k, 'x' * (k % 11))
            if k % 20 == 0:
                time.sleep(0.01)   # spread the run (>= 1 s) over the server restart
        h.close()
        assert h.dropped_total == 0
    if __name__ == '__main__':
        port, procs, count = map(int, sys.argv[1:4])
        ps = [mp.Process(target=work, args=(i, port, count, i % 2)) for i in range(procs)]
        for p in ps: p.start()
        print('started', flush=True)
        for p in ps: p.join()
        assert all(p.exitcode == 0 for p in ps), [p.exitcode for p in ps]
"""


def test_server_restarted_mid_run_loses_nothing_with_buffering_clients(tmp_path):
    log = tmp_path / "app.log"
    args = ["--file", str(log), "--format", "%(message)s"]
    # A short drain: the first server closes while clients are still sending, which is
    # exactly when the stdlib SocketHandler loses records.
    first = Server(tmp_path, "--port", "0", "--drain-timeout", "0.3", *args)
    port = first.port
    clients = subprocess.Popen([sys.executable, "-c", textwrap.dedent(BUFFERING_CLIENT),
                                str(port), "4", "2000"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=ENV, text=True)
    assert clients.stdout.readline().strip() == "started"
    deadline = time.monotonic() + 60
    while count_lines(log) < 400 and time.monotonic() < deadline:
        time.sleep(0.02)
    stats1 = first.stop()
    written_by_first = len(log.read_text().splitlines())
    time.sleep(0.3)  # clients keep logging into their buffers meanwhile
    second = Server(tmp_path, "--port", str(port), *args)
    out, err = clients.communicate(timeout=120)
    assert clients.returncode == 0, err
    stats2 = second.stop()
    assert 0 < written_by_first < 8000, "restart did not happen mid-run"
    lines = log.read_text().splitlines()
    assert_all_records(lines, 4, 2000)
    for p in range(4):
        seq = [int(ln.split()[1]) for ln in lines if ln.startswith("P%d " % p)]
        assert seq == sorted(seq)
    assert stats1["records"] + stats2["records"] == 8000


def test_server_killed_mid_run_loses_nothing_with_acknowledging_clients(tmp_path):
    # SIGKILL: no drain, no final count. Clients resend every frame not yet confirmed,
    # so nothing is lost; a frame written but not yet confirmed may appear twice.
    log = tmp_path / "app.log"
    args = ["--file", str(log), "--format", "%(message)s"]
    first = Server(tmp_path, "--port", "0", *args)
    port = first.port
    clients = subprocess.Popen([sys.executable, "-c", textwrap.dedent(BUFFERING_CLIENT),
                                str(port), "4", "2000"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=ENV, text=True)
    assert clients.stdout.readline().strip() == "started"
    deadline = time.monotonic() + 60
    while count_lines(log) < 400 and time.monotonic() < deadline:
        time.sleep(0.02)
    first.proc.kill()
    first.proc.wait(timeout=30)
    written_by_first = count_lines(log)
    time.sleep(0.3)
    second = Server(tmp_path, "--port", str(port), *args)
    out, err = clients.communicate(timeout=120)
    assert clients.returncode == 0, err
    second.stop()
    assert 0 < written_by_first < 8000, "kill did not happen mid-run"
    seen = collections.Counter()
    for line in log.read_text().splitlines():
        m = re.fullmatch(r"P(\d+) (\d+)(?: x*)?", line)
        assert m, line
        seen[(int(m.group(1)), int(m.group(2)))] += 1
    missing = [(p, k) for p in range(4) for k in range(2000) if (p, k) not in seen]
    assert missing == []


def count_lines(path):
    try:
        with open(path, "rb") as fh:
            return fh.read().count(b"\n")
    except FileNotFoundError:
        return 0


def test_unix_socket_with_stdlib_and_json_clients(tmp_path):
    log = tmp_path / "app.log"
    path = tmp_path / "log.sock"
    ready = tmp_path / "ready"
    server = Server(tmp_path, "--unix", str(path), "--file", str(log), "--format",
                    "%(name)s %(message)s", "--ready-file", str(ready))
    assert server.address == "unix:%s" % path
    assert ready.read_text() == "unix:%s\n" % path
    run_python("""
        import logging, logging.handlers, sys
        from logfunnel.sockets import BufferingSocketHandler, JSONSocketHandler
        for name, h in (('stdlib', logging.handlers.SocketHandler(sys.argv[1], None)),
                        ('buffering', BufferingSocketHandler(sys.argv[1])),
                        ('json', JSONSocketHandler(sys.argv[1]))):
            log = logging.getLogger(name); log.propagate = False; log.addHandler(h)
            log.warning('via %s', name)
            h.close()
    """, path)
    server.stop()
    assert log.read_text().splitlines() == ["stdlib via stdlib", "buffering via buffering",
                                            "json via json"]
    assert not path.exists()  # the server removes its socket file


def test_ini_config_routes_by_logger_name(tmp_path):
    a, b = tmp_path / "a.log", tmp_path / "b.log"
    ini = tmp_path / "logging.ini"
    ini.write_text(textwrap.dedent("""
        [loggers]
        keys = root,serving
        [handlers]
        keys = generic,serving
        [formatters]
        keys = plain
        [logger_root]
        level = INFO
        handlers = generic
        [logger_serving]
        level = INFO
        handlers = serving
        propagate = 0
        qualname = serving
        [handler_generic]
        class = handlers.TimedRotatingFileHandler
        args = (%r, 'midnight', 1, 30)
        formatter = plain
        [handler_serving]
        class = handlers.RotatingFileHandler
        args = (%r, 'a', 100000, 3)
        formatter = plain
        [formatter_plain]
        format = %%(name)s:%%(message)s
    """ % (str(a), str(b))))
    server = Server(tmp_path, "--port", "0", "--config", str(ini))
    run_python("""
        import logging, logging.handlers, sys
        h = logging.handlers.SocketHandler('127.0.0.1', int(sys.argv[1]))
        for name in ('serving', 'webhook', 'serving.sub'):
            log = logging.getLogger(name); log.propagate = False; log.addHandler(h)
            log.warning('hello')
        h.close()
    """, server.port)
    server.stop()
    assert a.read_text().splitlines() == ["webhook:hello"]
    assert b.read_text().splitlines() == ["serving:hello", "serving.sub:hello"]


def test_yaml_config_and_clear_error_without_pyyaml(tmp_path):
    out_log = tmp_path / "y.log"
    cfg = tmp_path / "logging.yaml"
    cfg.write_text(textwrap.dedent("""
        version: 1
        formatters: {plain: {format: "%%(message)s"}}
        handlers:
          f: {class: logging.FileHandler, filename: "%s", formatter: plain}
        root: {level: INFO, handlers: [f]}
    """ % out_log))
    # Without PyYAML: a clear message and a non-zero exit, not a traceback.
    res = subprocess.run([sys.executable, "-c",
                          "import sys; sys.modules['yaml'] = None\n"
                          "from logfunnel.server import main; main(sys.argv[1:])",
                          "--port", "0", "--config", str(cfg)],
                         env=ENV, capture_output=True, text=True, timeout=30)
    assert res.returncode != 0 and "PyYAML is not installed" in res.stderr
    assert "Traceback" not in res.stderr
    pytest.importorskip("yaml")
    server = Server(tmp_path, "--port", "0", "--config", str(cfg))
    run_python("""
        import logging, logging.handlers, sys
        h = logging.handlers.SocketHandler('127.0.0.1', int(sys.argv[1]))
        log = logging.getLogger('y'); log.propagate = False; log.addHandler(h)
        log.warning('from yaml config')
        h.close()
    """, server.port)
    server.stop()
    assert out_log.read_text() == "from yaml config\n"


def test_bad_command_lines_fail_clearly(tmp_path):
    for args, needle in ((["--file", "x.log", "--when", "S", "--max-bytes", "10",
                           "--port", "0"], "cannot be combined"),
                         (["--config", str(tmp_path / "missing.json")], "not found"),
                         (["--file", "x.log", "--max-frame", str(2 ** 33)], "--max-frame")):
        res = subprocess.run([sys.executable, "-m", "logfunnel.server", *args], cwd=tmp_path,
                             env=ENV, capture_output=True, text=True, timeout=30)
        assert res.returncode != 0 and needle in res.stderr, res.stderr
        assert "Traceback" not in res.stderr


def test_slow_clients_cannot_make_the_server_hold_unbounded_memory(tmp_path):
    log = tmp_path / "app.log"
    server = Server(tmp_path, "--port", "0", "--file", str(log), "--format", "%(message)s",
                    "--max-buffered", "100000")
    out = run_python("""
        import socket, struct, sys, time
        port = int(sys.argv[1])
        socks, closed = [], 0
        for i in range(6):
            s = socket.create_connection(('127.0.0.1', port), timeout=10)
            s.sendall(struct.pack('>L', 60000) + b'a' * 30000)  # half a frame, then stall
            socks.append(s)
            time.sleep(0.1)
        for s in socks:
            s.settimeout(0.5)
            try:
                closed += s.recv(1) == b''
            except ConnectionResetError:
                closed += 1
            except socket.timeout:
                pass
        print(closed)
    """, server.port)
    # 100,000 bytes hold three 30,000-byte halves; every client after that is cut off.
    assert int(out.stdout) == 3
    run_python(STDLIB_CLIENT, server.port, 1, 50)
    stats = server.stop()
    assert stats["overloaded_closes"] == 3
    assert_all_records(log.read_text().splitlines(), 1, 50)


def test_clients_not_yet_accepted_at_shutdown_are_drained_not_reset():
    """A stop that comes before the loop accepted a client that already wrote and closed.

    The kernel completed the connection and holds the bytes; the client (a stdlib
    SocketHandler) counts its records as sent. Shutting down must accept and read it.
    """
    import logging
    import logging.handlers
    from logfunnel.server import LogServer, listen_tcp

    lsock = listen_tcp("127.0.0.1", 0)
    port = lsock.getsockname()[1]
    received = []
    server = LogServer([lsock], received.append, drain_quiet=0.2, drain_timeout=5.0)

    handler = logging.handlers.SocketHandler("127.0.0.1", port)
    client = logging.getLogger("lftest.backlog")
    client.propagate = False
    client.addHandler(handler)
    try:
        for k in range(300):
            client.warning("backlog %d", k)
    finally:
        client.removeHandler(handler)
        handler.close()

    server.request_stop()  # before the loop ever ran: the client is still in the backlog
    server.serve_forever()
    assert [r.getMessage() for r in received] == ["backlog %d" % k for k in range(300)]
    assert server.stats.connections == 1
