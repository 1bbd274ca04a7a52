"""``BufferingSocketHandler``: a SocketHandler that keeps records while the server is away.

The stdlib ``SocketHandler`` drops every record emitted while it cannot connect (and
during its retry back-off), and the record whose send failed, without a word. This
subclass queues frames in a bounded buffer instead, resends them in order once the server
is back, and reports how many it had to drop as a WARNING record.

With a logfunnel server (``acks=True``, the default) it also knows what was written: the
server acknowledges frames with a cumulative count, so frames sent but not yet confirmed
are kept, and when the server restarts exactly the unconfirmed ones are sent again. A
graceful restart therefore loses nothing and duplicates nothing; a server killed with
SIGKILL loses nothing but may see a few records twice (at-least-once).
"""

import collections
import logging
import logging.handlers
import os
import select
import socket
import sys
import time

from . import _wire

_HAS_POLL = hasattr(select, "poll")

DROP_OLDEST = "oldest"
DROP_NEWEST = "newest"


class BufferingSocketHandler(logging.handlers.SocketHandler):
    """SocketHandler with a bounded resend buffer.

    ``BufferingSocketHandler(host, port)`` for TCP, ``BufferingSocketHandler(path)``
    (port None) for a Unix socket, exactly like the stdlib class.

    capacity     -- most frames kept while disconnected (default 10,000).
    drop         -- "oldest" (default: keep the most recent records) or "newest" (keep
                    the first ones, drop what arrives while full). Drops are counted and
                    reported as one WARNING record from logger "logfunnel.sockets" as
                    soon as a connection works again.
    acks         -- ask the server for acknowledgements (needs ``python -m
                    logfunnel.server``). False speaks the plain stdlib framing, for the
                    cookbook server or any other SocketHandler receiver.
    json         -- logfunnel's JSON framing instead of pickle (logfunnel server only;
                    always acknowledged).
    retry_start, retry_max -- reconnect back-off, seconds (the stdlib uses 1 and 30).
    send_timeout -- seconds a send may block on a server that does not read.
    close_timeout -- at close(), how long to keep trying to deliver (and have confirmed)
                    what is buffered.
    max_frame    -- the server's frame limit (default 1 MiB, as the server's): longer
                    messages and tracebacks are cut to fit, with a note saying so.
    """

    def __init__(self, host, port=None, *, capacity=10000, drop=DROP_OLDEST, acks=True,
                 json=False, retry_start=0.1, retry_max=5.0, send_timeout=10.0,
                 close_timeout=2.0, max_frame=_wire.DEFAULT_MAX_FRAME):
        super().__init__(host, port)
        if drop not in (DROP_OLDEST, DROP_NEWEST):
            raise ValueError("drop must be %r or %r" % (DROP_OLDEST, DROP_NEWEST))
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.drop = drop
        self.json = json
        self.acks = acks or json
        self.retryStart = retry_start
        self.retryMax = retry_max
        self.send_timeout = send_timeout
        self.close_timeout = close_timeout
        self.max_frame = max_frame
        self.dropped = 0  # not yet reported
        self.dropped_total = 0
        self._buffer = collections.deque()   # not sent yet
        self._unacked = collections.deque()  # sent on this connection, not confirmed
        self._acked = 0                       # last cumulative count from the server
        self._rx = b""                        # partial acknowledgement bytes
        self._head_failures = 0               # connections lost on the same first frame
        self._pid = os.getpid()
        self._exit_hook_pid = None

    # -- what goes on the wire ------------------------------------------------------
    def makePickle(self, record):
        fields = _wire.record_to_dict(record, self._format_exception)
        if self.json:
            return _wire.encode_json_frame(fields)
        return _wire.encode_pickle_frame(fields)

    def _format_exception(self, exc_info):
        fmt = self.formatter or logging.Formatter()
        return fmt.formatException(exc_info)

    def makeSocket(self, timeout=1):
        sock = super().makeSocket(timeout)
        sock.settimeout(self.send_timeout)
        return sock

    # -- emitting ---------------------------------------------------------------
    def emit(self, record):
        try:
            self._after_fork_check()
            if self._exit_hook_pid != self._pid:
                # A multiprocessing child leaves through os._exit (no atexit, so no
                # logging.shutdown): without this its last frames would be cut off when the
                # socket closes with the server's acks unread.
                self._exit_hook_pid = self._pid
                from . import _lifecycle
                _lifecycle.on_exit(self.close)
            frame = self.makePickle(record)
            if len(frame) - 4 > self.max_frame:
                frame = self._shrunk_frame(record)
                if frame is None:
                    self.dropped += 1
                    self.dropped_total += 1
                    return
        except Exception:
            self.handleError(record)
            return
        if len(self._buffer) >= self.capacity:
            self._deliver()  # make room first if the server is back: drop only if not
        self._enqueue(frame)
        self._deliver()

    def flush(self):
        with self._lock_or_dummy():
            self._after_fork_check()
            if self._buffer or self.dropped:  # never connect just to send nothing
                self._deliver()

    def close(self):
        with self._lock_or_dummy():
            self._after_fork_check()
            deadline = time.monotonic() + self.close_timeout
            while time.monotonic() < deadline:
                if self._buffer or self.dropped:
                    if not self._deliver():
                        # Not connected: wait for the back-off to allow the next attempt.
                        wait = (self.retryTime or 0) - time.time()
                        time.sleep(min(max(wait, 0.02),
                                       max(0.0, deadline - time.monotonic())))
                        continue
                if not self._unacked or self.sock is None:
                    break
                self._await_acks(deadline)
            lost = len(self._buffer) + len(self._unacked)
            if self._buffer:
                sys.stderr.write("logfunnel.sockets: %d record(s) could not be delivered to "
                                 "%s before close\n" % (lost, self._address_text()))
            self._buffer.clear()
            self._unacked.clear()
            super().close()

    def send(self, s):
        """Stdlib entry point (used by e.g. handleError callers): buffered too."""
        self._enqueue(s)
        self._deliver()

    def handleError(self, record):
        # The stdlib version closes the socket; our socket problems never reach here
        # (they are handled in _deliver), only formatting errors, which are not the
        # socket's fault.
        logging.Handler.handleError(self, record)

    # -- internals -----------------------------------------------------------------
    def _lock_or_dummy(self):
        lock = self.lock
        return lock if lock is not None else _NoLock()

    def _after_fork_check(self):
        """A forked child must not write into its parent's connection or resend its buffer."""
        pid = os.getpid()
        if pid != self._pid:
            self._pid = pid
            if self.sock is not None:
                try:
                    self.sock.detach()  # leave the parent's connection alone
                except OSError:
                    pass
                self.sock = None
            self._buffer.clear()
            self._unacked.clear()
            self._rx = b""
            self.dropped = 0
            self.retryTime = None

    def _enqueue(self, frame):
        buf = self._buffer
        if len(buf) >= self.capacity:
            self.dropped += 1
            self.dropped_total += 1
            if self.drop == DROP_NEWEST:
                return
            buf.popleft()
        buf.append(frame)

    def _deliver(self):
        """Send buffered frames in order; True if the buffer is empty afterwards."""
        if self.sock is None:
            self.createSocket()  # honours the retry back-off
            if self.sock is None:
                return False
            if not self._greet():
                return False
        elif self._server_gone():
            return self._deliver()  # one immediate reconnect attempt
        if self.dropped:
            self._buffer.appendleft(self._dropped_frame())
            self.dropped = 0
        buf = self._buffer
        sock = self.sock
        track = self.acks
        while buf:
            frame = buf[0]
            try:
                sock.sendall(frame)
            except OSError:
                # The frame may have gone out in part; the server discards a frame cut
                # by a closed connection, so resending it whole later cannot duplicate.
                self._drop_socket()
                return False
            buf.popleft()
            if track:
                self._unacked.append(frame)
        if track and len(self._unacked) > self.capacity:
            # A server that does not acknowledge must not make us hold everything.
            for _ in range(len(self._unacked) - self.capacity):
                self._unacked.popleft()
        return True

    def _greet(self):
        self._unacked.clear()
        self._acked = 0
        self._rx = b""
        if not self.acks:
            return True
        try:
            self.sock.sendall(_wire.JSON_MAGIC if self.json else _wire.PICKLE_MAGIC)
            return True
        except OSError:
            self._drop_socket()
            return False

    def _server_gone(self):
        """Read what the server sent; True if the connection is over (and dropped).

        One zero-timeout poll per delivery. A logfunnel server sends only
        acknowledgements, and only to clients that asked; to others, a FIN when it
        shuts down. (recv with MSG_DONTWAIT is no use here: Python waits for
        readability first on sockets with a timeout.)
        """
        if not self._readable(0):
            return False
        try:
            data = self.sock.recv(65536)
        except (BlockingIOError, InterruptedError, socket.timeout):
            return False
        except OSError:
            self._drop_socket()
            return True
        if not data:
            self._drop_socket()
            return True
        if self.acks and self._take_acks(data):
            self._finish_with_closing_server()
            return True
        return False

    def _readable(self, timeout):
        sock = self.sock
        try:
            if _HAS_POLL:
                poller = select.poll()
                poller.register(sock, select.POLLIN)
                return bool(poller.poll(int(timeout * 1000)))
            readable, _, _ = select.select([sock], [], [], timeout)
            return bool(readable)
        except (OSError, ValueError):
            return True  # let recv report the problem

    def _take_acks(self, data):
        """Apply cumulative counts; True if the server announced it is closing."""
        data = self._rx + data
        size = _wire.ACK.size
        usable = len(data) - len(data) % size
        self._rx = data[usable:]
        closing = False
        for (value,) in _wire.ACK.iter_unpack(data[:usable]):
            if value == _wire.ACK_CLOSING:
                closing = True
                continue
            confirmed = value - self._acked
            for _ in range(min(confirmed, len(self._unacked))):
                self._unacked.popleft()
            self._acked = value
        return closing

    def _finish_with_closing_server(self):
        """Server shutting down: stop sending, learn the final count, keep the rest."""
        sock = self.sock
        try:
            sock.shutdown(socket.SHUT_WR)  # "nothing more from me"
            sock.settimeout(2.0)
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                self._take_acks(data)
        except OSError:
            pass
        self._drop_socket()

    def _await_acks(self, deadline):
        """At close: wait for the server to confirm what was sent."""
        while self._unacked and self.sock is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            if self._readable(min(remaining, 0.1)):
                self._server_gone()

    def _drop_socket(self):
        sock, self.sock = self.sock, None
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass
        if self._unacked:
            if self._acked == 0:
                # The connection ended before confirming even the first frame. If that
                # keeps happening the server rejects this frame; resending it forever
                # would block everything behind it.
                self._head_failures += 1
            else:
                self._head_failures = 0
            if self._head_failures >= 3:
                self._unacked.popleft()
                self._head_failures = 0
                self.dropped += 1
                self.dropped_total += 1
                sys.stderr.write("logfunnel.sockets: %s keeps closing the connection on "
                                 "one record; dropped it\n" % self._address_text())
            # Sent but never confirmed: send again, in order, before anything newer.
            self._buffer.extendleft(reversed(self._unacked))
            self._unacked.clear()
        self._acked = 0
        self._rx = b""
        # Retry soon: the server is probably restarting.
        self.retryTime = None

    def _shrunk_frame(self, record):
        """A frame the server will accept: long strings cut, or None if impossible.

        The server closes a connection on an oversized frame; resending it would
        block every record behind it, so it is made to fit here.
        """
        fields = _wire.record_to_dict(record, self._format_exception)
        for limit in (self.max_frame // 4, 1000):
            for key, value in list(fields.items()):
                if isinstance(value, str) and len(value) > limit:
                    fields[key] = "%s... [logfunnel: %d characters cut]" % (
                        value[:limit], len(value) - limit)
                elif not isinstance(value, (str, int, float, bool, type(None))):
                    fields[key] = _wire.describe(value)[:limit]
            encode = _wire.encode_json_frame if self.json else _wire.encode_pickle_frame
            frame = encode(fields)
            if len(frame) - 4 <= self.max_frame:
                return frame
        return None

    def _dropped_frame(self):
        n = self.dropped
        record = logging.LogRecord(
            "logfunnel.sockets", logging.WARNING, __file__, 0,
            "BufferingSocketHandler dropped %d record(s) (%s first, capacity %d) while "
            "%s was unreachable", (n, self.drop, self.capacity, self._address_text()), None)
        return self.makePickle(record)

    def _address_text(self):
        if self.port is None:
            return "unix:%s" % (self.host,)
        return "%s:%s" % (self.host, self.port)


class JSONSocketHandler(BufferingSocketHandler):
    """BufferingSocketHandler speaking logfunnel's JSON framing (no pickle at all)."""

    def __init__(self, host, port=None, **kwargs):
        kwargs["json"] = True
        super().__init__(host, port, **kwargs)


class _NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
