"""``python -m logfunnel.server``: one process that owns the log files, fed over a socket.

Accepts what ``logging.handlers.SocketHandler`` sends (decoded by a restricted unpickler
that refuses every global: see ``_wire``) and logfunnel's own JSON framing, on loopback
TCP or a Unix socket. One thread, one ``selectors`` loop: 10,000 idle clients cost 10,000
file descriptors and a few hundred bytes each, not 10,000 threads.

Records are written by ordinary ``logging`` handlers, built either from ``--file`` and
its options or from a logging configuration (``--config`` .ini / .json / .yaml / .toml).
See SERVER.md for the protocol and the guarantees.
"""

import argparse
import errno
import json
import logging
import logging.config
import logging.handlers
import os
import selectors
import signal
import socket
import stat
import sys
import time

from . import _wire

DEFAULT_PORT = logging.handlers.DEFAULT_TCP_LOGGING_PORT  # 9020, what SocketHandler uses
DEFAULT_FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"
_RECV_SIZE = 256 * 1024
_ACCEPT_PAUSE = 0.25  # seconds to stop accepting when out of file descriptors


class Stats:
    """Counters printed at exit (one JSON line on stderr) and on SIGUSR1."""

    FIELDS = ("connections", "records", "stringified_records", "dropped_keys",
              "refused_records", "bad_frames", "oversize_frames", "truncated_frames",
              "dispatch_errors", "accept_errors", "connection_errors",
              "overloaded_closes")

    def __init__(self):
        for f in self.FIELDS:
            setattr(self, f, 0)

    def as_dict(self):
        return {f: getattr(self, f) for f in self.FIELDS}


class _Conn:
    __slots__ = ("sock", "reader", "peer", "processed", "acked", "out", "final")

    def __init__(self, sock, reader, peer):
        self.sock = sock
        self.reader = reader
        self.peer = peer
        self.processed = 0   # frames consumed for good (written or refused)
        self.acked = 0       # last count acknowledged to the client
        self.out = b""       # part of an acknowledgement the socket did not take yet
        self.final = False   # final count sent: whatever arrives now is not ours


class LogServer:
    """The accept/read/decode/dispatch loop. ``dispatch(record)`` does the writing."""

    def __init__(self, listeners, dispatch, *, max_frame=_wire.DEFAULT_MAX_FRAME,
                 policy=_wire.POLICY_STRINGIFY, diag=None, drain_quiet=0.5,
                 drain_timeout=30.0, max_buffered=256 << 20):
        self.listeners = list(listeners)
        self.dispatch = dispatch
        self.max_frame = max_frame
        self.policy = policy
        self.diag = diag or _diag_logger()
        self.drain_quiet = drain_quiet
        self.drain_timeout = drain_timeout
        # Bytes of incomplete frames held for all clients together: 10,000 slow clients
        # each half-way through a 1 MiB frame must not cost 10 GiB.
        self.max_buffered = max_buffered
        self._buffered = 0
        self.stats = Stats()
        self._sel = selectors.DefaultSelector()
        self._conns = {}
        self._stop = False
        self._accept_paused_until = 0.0
        self._warned = {}
        self._wake_r, self._wake_w = socket.socketpair()
        for s in (self._wake_r, self._wake_w):
            s.setblocking(False)

    # -- control ---------------------------------------------------------------
    def request_stop(self, *_):
        self._stop = True
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass

    def install_signal_handlers(self):
        signal.signal(signal.SIGTERM, self.request_stop)
        signal.signal(signal.SIGINT, self.request_stop)
        if hasattr(signal, "SIGUSR1"):
            signal.signal(signal.SIGUSR1, lambda *_: self._print_stats("stats"))
            signal.siginterrupt(signal.SIGUSR1, False)
        # Without a wakeup fd a signal only runs its handler when select() returns.
        signal.set_wakeup_fd(self._wake_w.fileno(), warn_on_full_buffer=False)

    # -- main loop -------------------------------------------------------------
    def serve_forever(self):
        for lsock in self.listeners:
            lsock.setblocking(False)
            self._sel.register(lsock, selectors.EVENT_READ, "listen")
        self._sel.register(self._wake_r, selectors.EVENT_READ, "wake")
        paused = False
        try:
            while not self._stop:
                timeout = None
                if paused:
                    timeout = self._accept_paused_until - time.monotonic()
                    if timeout <= 0:
                        for lsock in self.listeners:
                            self._sel.register(lsock, selectors.EVENT_READ, "listen")
                        paused = False
                        timeout = None
                for key, _ in self._sel.select(timeout):
                    if key.data == "listen":
                        if not paused and not self._accept(key.fileobj):
                            # Out of descriptors: the listener would stay readable and
                            # spin the loop, so stop watching it for a moment.
                            paused = True
                            for lsock in self.listeners:
                                self._sel.unregister(lsock)
                    elif key.data == "wake":
                        self._drain_wakeups()
                    else:
                        self._read(key.data)
        finally:
            self._shutdown()

    def _drain_wakeups(self):
        try:
            while self._wake_r.recv(4096):
                pass
        except OSError:
            pass

    def _accept(self, lsock):
        """Accept every pending client; False when out of descriptors (pause accepting)."""
        while True:
            try:
                sock, addr = lsock.accept()
            except (BlockingIOError, InterruptedError):
                return True
            except OSError as exc:
                self.stats.accept_errors += 1
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    self._warn("accept", "cannot accept more clients (%s); pausing %.2fs",
                               os.strerror(exc.errno), _ACCEPT_PAUSE)
                    self._accept_paused_until = time.monotonic() + _ACCEPT_PAUSE
                    return False
                return True  # ECONNABORTED and friends: that client is gone, go on
            sock.setblocking(False)
            peer = _peer_name(addr)
            conn = _Conn(sock, _wire.FrameReader(self.max_frame), peer)
            self._conns[sock.fileno()] = conn
            self._sel.register(sock, selectors.EVENT_READ, conn)
            self.stats.connections += 1

    def _read(self, conn):
        try:
            data = conn.sock.recv(_RECV_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            self.stats.connection_errors += 1
            self._warn("conn", "connection from %s failed: %s", conn.peer, exc)
            self._close(conn)
            return
        if conn.final:
            # After the final count the client resends anything further elsewhere.
            if not data:
                self._close(conn)
            return
        if not data:
            if conn.reader.pending:
                self.stats.truncated_frames += 1
                self._warn("truncated", "client %s closed inside a frame (%d bytes dropped)",
                           conn.peer, conn.reader.pending)
            if conn.reader.acks:
                self._send_ack(conn, conn.processed, final=True)
            self._close(conn)
            return
        before = conn.reader.pending
        try:
            payloads = conn.reader.feed(data)
        except _wire.FrameTooLarge as exc:
            self._buffered += conn.reader.pending - before
            self.stats.oversize_frames += 1
            self._warn("oversize", "closing %s: %s", conn.peer, exc)
            self._close(conn)
            return
        self._buffered += conn.reader.pending - before
        if self._buffered > self.max_buffered and conn.reader.pending:
            self.stats.overloaded_closes += 1
            self._warn("overloaded", "closing %s: incomplete frames of all clients exceed "
                       "%d bytes", conn.peer, self.max_buffered)
            self._close(conn)
            return
        for payload in payloads:
            if not self._handle_payload(conn, payload):
                self._close(conn)
                return
            conn.processed += 1
        if conn.reader.acks and conn.processed != conn.acked:
            self._send_ack(conn, conn.processed)

    def _send_ack(self, conn, value, final=False):
        """Send a cumulative count (or ACK_CLOSING) to a client that asked for them.

        Normally non-blocking: counts are cumulative, so an acknowledgement the socket
        cannot take now is merged into the next. The final one waits up to a second.
        """
        data = conn.out + _wire.ACK.pack(value)
        sock = conn.sock
        try:
            if final:
                sock.settimeout(1.0)
                try:
                    sock.sendall(data)
                finally:
                    sock.setblocking(False)
                sent = len(data)
            else:
                sent = sock.send(data)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            sent = len(data)  # the client is gone; it will resend what it must
        conn.out = data[sent:]
        if value != _wire.ACK_CLOSING:
            conn.acked = value
        if final:
            conn.final = True

    def _handle_payload(self, conn, payload):
        """Decode and dispatch one frame; False if the connection must be closed."""
        try:
            result = _wire.decode_payload(payload, conn.reader.mode, self.policy)
        except _wire.RecordRefused as exc:
            self.stats.refused_records += 1
            self._warn("refused", "refused a record from %s: %s", conn.peer, exc)
            return True
        except _wire.WireError as exc:
            self.stats.bad_frames += 1
            self._warn("bad", "closing %s: %s", conn.peer, exc)
            return False
        except Exception as exc:  # a decoder bug must not take the server down
            self.stats.bad_frames += 1
            self._warn("bad", "closing %s: undecodable frame (%r)", conn.peer, exc)
            return False
        if result.stringified or result.globals_seen:
            self.stats.stringified_records += 1
            self._warn("stringified", "record from %s had non-plain values turned into "
                       "strings (%s)", conn.peer, ", ".join(result.globals_seen) or "values")
        self.stats.dropped_keys += result.dropped_keys
        try:
            record = logging.makeLogRecord(result.fields)
            self.dispatch(record)
        except Exception as exc:
            self.stats.dispatch_errors += 1
            self._warn("dispatch", "could not write a record from %s: %r", conn.peer, exc)
            return True
        self.stats.records += 1
        return True

    def _close(self, conn):
        try:
            self._sel.unregister(conn.sock)
        except (KeyError, ValueError):
            pass
        self._conns.pop(conn.sock.fileno(), None)
        self._buffered -= conn.reader.pending
        try:
            conn.sock.close()
        except OSError:
            pass

    # -- shutdown ----------------------------------------------------------------
    def _shutdown(self):
        """Stop accepting, read what clients already sent, then close everything.

        Stdlib clients get a FIN (they never read it); clients that asked for
        acknowledgements get ACK_CLOSING, close their side, and receive the exact count
        of frames written. We keep reading until every client closed, or nothing
        arrived for drain_quiet seconds, or drain_timeout passed: data a stdlib client
        wrote before SIGTERM is already in our receive buffers and is read first.
        """
        for lsock in self.listeners:
            # Clients the kernel connected but this loop had not accepted yet may have written
            # everything and closed: a stdlib client counts that as sent. Closing the listener
            # would reset them and lose it all (CI saw a whole client's 2,000 records go on a
            # busy machine), so they are accepted and drained like the others.
            try:
                lsock.setblocking(False)
                self._accept(lsock)
            except OSError:
                pass
            try:
                self._sel.unregister(lsock)
            except (KeyError, ValueError):
                pass
            _close_listener(lsock)
        # One pass first, so that each connection's framing (and whether it wants
        # acknowledgements) is known from the bytes already received.
        for conn in list(self._conns.values()):
            self._read(conn)
        for conn in list(self._conns.values()):
            if conn.reader.acks:
                # Tell it to stop sending; it answers by closing its side, and gets the
                # exact count of what was written, so it resends only the rest.
                self._send_ack(conn, _wire.ACK_CLOSING)
            else:
                try:
                    conn.sock.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
        deadline = time.monotonic() + self.drain_timeout
        last_data = time.monotonic()
        while self._conns:
            now = time.monotonic()
            if now >= deadline or now - last_data >= self.drain_quiet:
                break
            events = self._sel.select(min(0.05, deadline - now))
            for key, _ in events:
                if isinstance(key.data, _Conn):
                    self._read(key.data)
                    last_data = time.monotonic()
                elif key.data == "wake":
                    self._drain_wakeups()
        # Clients that did not answer the closing notice (idle ones): final count, FIN,
        # and a short wait for their side to close, so nothing they send now is lost
        # without them knowing.
        waiting = [c for c in self._conns.values() if c.reader.acks and not c.final]
        for conn in waiting:
            self._send_ack(conn, conn.processed, final=True)
            try:
                conn.sock.shutdown(socket.SHUT_WR)
            except OSError:
                pass
        grace = time.monotonic() + min(1.0, max(0.0, deadline - time.monotonic()))
        while waiting and any(c.sock.fileno() in self._conns for c in waiting):
            now = time.monotonic()
            if now >= grace:
                break
            for key, _ in self._sel.select(min(0.05, grace - now)):
                if isinstance(key.data, _Conn):
                    self._read(key.data)
                elif key.data == "wake":
                    self._drain_wakeups()
        for conn in list(self._conns.values()):
            if conn.reader.pending and not conn.final:
                self.stats.truncated_frames += 1
            self._close(conn)
        self._sel.close()
        self._wake_r.close()
        self._wake_w.close()

    # -- diagnostics ---------------------------------------------------------------
    def _warn(self, kind, msg, *args):
        """Log a problem, rate-limited per kind: first 10, then every power of ten."""
        n = self._warned.get(kind, 0) + 1
        self._warned[kind] = n
        if n <= 10 or _is_power_of_ten(n):
            self.diag.warning(msg + (" [x%d]" % n if n > 10 else ""), *args)

    def _print_stats(self, label):
        sys.stderr.write("logfunnel.server %s %s\n" % (label, json.dumps(self.stats.as_dict())))
        sys.stderr.flush()


def _is_power_of_ten(n):
    while n >= 10 and n % 10 == 0:
        n //= 10
    return n == 1


def _peer_name(addr):
    if isinstance(addr, tuple) and len(addr) >= 2:
        return "%s:%s" % (addr[0], addr[1])
    return "unix-client"


def _close_listener(lsock):
    path = None
    if lsock.family == getattr(socket, "AF_UNIX", None):
        try:
            path = lsock.getsockname()
        except OSError:
            path = None
    try:
        lsock.close()
    except OSError:
        pass
    if path:
        try:
            os.unlink(path)
        except OSError:
            pass


def _diag_logger():
    # A Logger made directly is outside the logging hierarchy: fileConfig/dictConfig in
    # this process cannot disable or reroute it, and a received record that happens to
    # be named "logfunnel.server" goes to the configured handlers, not here.
    diag = logging.Logger("logfunnel.server")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("logfunnel.server %(levelname)s: %(message)s"))
    diag.addHandler(handler)
    return diag


# ---------------------------------------------------------------------------
# Listening sockets
# ---------------------------------------------------------------------------

def listen_tcp(host, port, backlog=4096):
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, socktype, proto, _, addr = infos[0]
    sock = socket.socket(family, socktype, proto)
    try:
        if os.name != "nt":
            # Restarting must not wait for old connections in TIME_WAIT.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(backlog)
    except BaseException:
        sock.close()
        raise
    return sock


def listen_unix(path, backlog=4096):
    if os.path.exists(path):
        st = os.stat(path)
        if not stat.S_ISSOCK(st.st_mode):
            raise SystemExit("logfunnel.server: %s exists and is not a socket" % path)
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(path)
        except OSError:
            os.unlink(path)  # a stale socket left by a server that died
        else:
            raise SystemExit("logfunnel.server: another server is listening on %s" % path)
        finally:
            probe.close()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    sock.listen(backlog)
    return sock


def raise_fd_limit():
    """Raise the soft descriptor limit to the hard one, where the OS lets us."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if target > soft:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


# ---------------------------------------------------------------------------
# Where records go
# ---------------------------------------------------------------------------

class _LoggerRouter:
    """Dispatch through the configured logger hierarchy, as the cookbook server does.

    Logger names come from clients; each new name creates a Logger kept forever by
    logging's manager, so after ``max_names`` distinct new names records go to root.
    """

    def __init__(self, max_names=10000):
        self.max_names = max_names
        self.created = 0

    def __call__(self, record):
        name = record.name
        manager = logging.Logger.manager
        if name and name != "root" and name not in manager.loggerDict:
            if self.created >= self.max_names:
                logging.getLogger().handle(record)
                return
            self.created += 1
        logger = logging.getLogger(name) if name and name != "root" else logging.getLogger()
        logger.handle(record)


def build_file_handler(args):
    if args.when and args.max_bytes:
        raise SystemExit("logfunnel.server: --when and --max-bytes cannot be combined")
    directory = os.path.dirname(os.path.abspath(args.file))
    os.makedirs(directory, exist_ok=True)
    if args.when:
        handler = logging.handlers.TimedRotatingFileHandler(
            args.file, when=args.when, interval=args.interval,
            backupCount=args.backup_count, encoding=args.encoding, utc=args.utc)
    elif args.max_bytes:
        handler = logging.handlers.RotatingFileHandler(
            args.file, maxBytes=args.max_bytes, backupCount=args.backup_count,
            encoding=args.encoding)
    else:
        # The server is the only writer, so an external logrotate (without copytruncate)
        # is safe: WatchedFileHandler reopens the file when it is moved away.
        handler = logging.handlers.WatchedFileHandler(args.file, encoding=args.encoding)
    handler.setFormatter(logging.Formatter(args.format, args.datefmt))
    if args.level:
        handler.setLevel(args.level.upper())
    return handler


def load_config(path):
    ext = os.path.splitext(path)[1].lower()
    if ext in (".ini", ".cfg", ".conf"):
        logging.config.fileConfig(path, disable_existing_loggers=False)
        return
    if ext == ".json":
        with open(path, encoding="utf-8") as fh:
            config = json.load(fh)
    elif ext in (".yaml", ".yml"):
        try:
            import yaml
        except ImportError:
            raise SystemExit("logfunnel.server: %s is YAML but PyYAML is not installed "
                             "(pip install PyYAML), or use a .json/.ini config" % path)
        with open(path, encoding="utf-8") as fh:
            config = yaml.safe_load(fh)
    elif ext == ".toml":
        try:
            import tomllib
        except ImportError:
            raise SystemExit("logfunnel.server: TOML configs need Python 3.11+")
        with open(path, "rb") as fh:
            config = tomllib.load(fh)
    else:
        raise SystemExit("logfunnel.server: unknown config type %r (use .ini, .json, "
                         ".yaml or .toml)" % ext)
    if isinstance(config, dict) and "version" not in config and \
            isinstance(config.get("logging"), dict):
        config = config["logging"]  # e.g. a Django-style or pyproject-style wrapper
    if not isinstance(config, dict):
        raise SystemExit("logfunnel.server: %s does not hold a dictConfig mapping" % path)
    config.setdefault("version", 1)
    config.setdefault("disable_existing_loggers", False)
    logging.config.dictConfig(config)


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="python -m logfunnel.server",
        description="Log server: owns the log files, receives records from stdlib "
                    "SocketHandler (safely decoded, nothing executed) and logfunnel JSON "
                    "clients.")
    dest = p.add_mutually_exclusive_group(required=True)
    dest.add_argument("--config", help="logging config: .ini (fileConfig), .json, "
                      ".yaml (needs PyYAML) or .toml (dictConfig)")
    dest.add_argument("--file", help="write every record to this file")
    p.add_argument("--max-bytes", type=int, default=0, help="rotate --file at this size")
    p.add_argument("--backup-count", type=int, default=0)
    p.add_argument("--when", help="time rotation of --file: S, M, H, D, midnight, W0-W6")
    p.add_argument("--interval", type=int, default=1)
    p.add_argument("--utc", action="store_true")
    p.add_argument("--encoding", default="utf-8")
    p.add_argument("--format", default=DEFAULT_FORMAT, help="format of --file lines")
    p.add_argument("--datefmt", default=None)
    p.add_argument("--level", default=None, help="minimum level written to --file")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--unix", metavar="PATH", help="listen on a Unix socket instead of TCP")
    where.add_argument("--port", type=int, default=DEFAULT_PORT,
                       help="TCP port (default %(default)s; 0 picks a free one)")
    p.add_argument("--host", default="127.0.0.1",
                   help="TCP address (default loopback; anything else exposes the server)")
    p.add_argument("--max-frame", type=int, default=_wire.DEFAULT_MAX_FRAME,
                   help="largest accepted frame in bytes; bigger closes the connection")
    p.add_argument("--max-buffered", type=int, default=256 << 20,
                   help="bytes of incomplete frames held for all clients together; the "
                        "client that goes over is disconnected")
    p.add_argument("--objects", choices=(_wire.POLICY_STRINGIFY, _wire.POLICY_REFUSE),
                   default=_wire.POLICY_STRINGIFY,
                   help="records whose pickle names a class: turn those values into "
                        "strings (default) or refuse the record")
    p.add_argument("--drain-quiet", type=float, default=0.5,
                   help="at shutdown, stop reading after this many quiet seconds")
    p.add_argument("--drain-timeout", type=float, default=30.0,
                   help="at shutdown, stop reading after this many seconds in any case "
                        "(a backlog of records already sent is read until then)")
    p.add_argument("--ready-file", help="write the listening address here once ready")
    args = p.parse_args(argv)
    if not 0 < args.max_frame <= _wire.MAX_FRAME_CEILING:
        p.error("--max-frame must be between 1 and %d" % _wire.MAX_FRAME_CEILING)
    if args.unix and not hasattr(socket, "AF_UNIX"):
        p.error("--unix is not available on this platform")
    if args.file is None and (args.max_bytes or args.when or args.backup_count):
        p.error("--max-bytes/--backup-count/--when go with --file")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    diag = _diag_logger()
    raise_fd_limit()
    if args.config:
        if not os.path.exists(args.config):
            raise SystemExit("logfunnel.server: config %s not found" % args.config)
        try:
            load_config(args.config)
        except SystemExit:
            raise
        except Exception as exc:
            raise SystemExit("logfunnel.server: cannot load %s: %s" % (args.config, exc))
        dispatch = _LoggerRouter()
        handlers = []
    else:
        handler = build_file_handler(args)
        dispatch = handler.handle
        handlers = [handler]

    if args.unix:
        lsock = listen_unix(args.unix)
        address = "unix:%s" % args.unix
    else:
        try:
            lsock = listen_tcp(args.host, args.port)
        except OSError as exc:
            raise SystemExit("logfunnel.server: cannot listen on %s:%s: %s"
                             % (args.host, args.port, exc))
        host, port = lsock.getsockname()[:2]
        address = "%s:%d" % (host, port)

    _wire.check_no_pickle_extensions()  # after --config, which may import modules
    server = LogServer([lsock], dispatch, max_frame=args.max_frame, policy=args.objects,
                       diag=diag, drain_quiet=args.drain_quiet,
                       drain_timeout=args.drain_timeout, max_buffered=args.max_buffered)
    server.install_signal_handlers()
    if args.ready_file:
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w") as fh:
            fh.write(address + "\n")
        os.replace(tmp, args.ready_file)  # readers never see a half-written file
    sys.stdout.write("logfunnel.server listening on %s\n" % address)
    sys.stdout.flush()
    try:
        server.serve_forever()
    finally:
        for handler in handlers:
            try:
                handler.flush()
                handler.close()
            except Exception as exc:
                diag.error("closing %r failed: %s", handler, exc)
        logging.shutdown()  # flushes and closes handlers from --config
        server._print_stats("final")
    return 0


if __name__ == "__main__":
    sys.exit(main())
