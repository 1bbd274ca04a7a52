"""Producer side: one channel per key per process, shared by every handler
object for that key in the process.

``append`` only puts encoded bytes in a list under a lock; a background
flusher thread ships the list as one frame when it grows past ``BATCH_BYTES``
or every ``FLUSH_INTERVAL`` seconds.  Shipping is synchronous (send frame, wait
for its ack), which gives natural batching: while a frame is in flight the
application keeps appending to the next one.  The buffer is bounded: a producer
that gets ``MAX_BUFFER`` ahead of the writer ships inline (back-pressure)
instead of dropping records.
"""

import collections
import os
import random
import socket
import sys
import threading
import time
from array import array

from . import _mainthread, _protocol, _transport
from ._writer import Writer, WriterGone

BATCH_BYTES = int(os.environ.get("LOGFUNNEL_BATCH_BYTES", 256 * 1024))
MAX_BUFFER = int(os.environ.get("LOGFUNNEL_MAX_BUFFER", 8 * 1024 * 1024))
FLUSH_INTERVAL = float(os.environ.get("LOGFUNNEL_FLUSH_INTERVAL", 0.05))
ACK_TIMEOUT = float(os.environ.get("LOGFUNNEL_ACK_TIMEOUT", 30.0))
DELIVERY_TIMEOUT = float(os.environ.get("LOGFUNNEL_DELIVERY_TIMEOUT", 60.0))


_NO_THREAD = object()


class LinkLost(Exception):
    pass


class _RemoteLink(object):
    """A connection to a writer in another process."""

    def __init__(self, sock):
        self.sock = sock
        sock.settimeout(ACK_TIMEOUT)

    def deliver(self, kind, producer_id, seq, lengths, data):
        header = _protocol.encode_header(
            kind, producer_id, seq, len(lengths), len(lengths) * lengths.itemsize + len(data)
        )
        try:
            self.sock.sendall(header + lengths.tobytes())
            self.sock.sendall(data)
            raw = b""
            while len(raw) < _protocol.ACK.size:
                chunk = self.sock.recv(_protocol.ACK.size - len(raw))
                if not chunk:
                    raise LinkLost()
                raw += chunk
            if _protocol.decode_ack(raw) != seq:
                raise LinkLost()
        except (OSError, _protocol.ProtocolError):
            raise LinkLost()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class _LocalLink(object):
    """This process is the writer: skip the socket."""

    def __init__(self, writer):
        self.writer = writer

    def deliver(self, kind, producer_id, seq, lengths, data):
        try:
            self.writer.submit(kind, producer_id, seq, lengths, data)
        except WriterGone:
            raise LinkLost()

    def close(self):
        pass


class Channel(object):
    def __init__(self, key, kind, make_sink):
        self.key = key
        self.kind = kind
        self._make_sink = make_sink
        self.address = _transport.address_for(key) if _transport.AVAILABLE else None
        self.handlers = []
        self._lock = threading.Lock()  # guards the handler list and the flusher start
        self._ship_lock = threading.Lock()  # one frame in flight at a time
        self._buf = collections.deque()
        self._buf_bytes = 0
        self._wake = threading.Event()
        self._producer_id = random.SystemRandom().getrandbits(63) or 1
        self._seq = 0
        self._link = None
        self.writer = None
        self._thread = None
        self._closed = False

    # -- handlers ------------------------------------------------------------
    def add_handler(self, handler):
        with self._lock:
            if handler not in self.handlers:
                self.handlers.append(handler)

    def remove_handler(self, handler):
        """Returns True when no handler is left (the channel should close)."""
        with self._lock:
            if handler in self.handlers:
                self.handlers.remove(handler)
            return not self.handlers

    # -- hot path ------------------------------------------------------------
    def append(self, data):
        # No lock on the hot path: deque.append is atomic, and a SIGTERM handler
        # interrupting this thread can never find a lock it would wait for.
        self._buf.append(data)
        self._buf_bytes += len(data)  # a heuristic for waking the flusher; races are harmless
        pending = self._buf_bytes
        if self._thread is None:
            self._start_flusher()
        if self._thread is _NO_THREAD:
            self.flush()
        elif pending >= BATCH_BYTES:
            if pending >= MAX_BUFFER:
                self.flush()
            elif not self._wake.is_set():
                self._wake.set()

    def _start_flusher(self):
        with self._lock:
            if self._thread is not None or self._closed:
                return
            self._thread = threading.Thread(
                target=self._flusher, name="logfunnel-flusher", daemon=True
            )
        try:
            self._thread.start()
        except RuntimeError:
            # Interpreter shutdown (3.12+ refuses new threads): ship inline.
            self._thread = _NO_THREAD

    def _flusher(self):
        _mainthread.leave_signals_to_main_thread()
        while not self._closed:
            self._wake.wait(FLUSH_INTERVAL)
            self._wake.clear()
            if self._buf:
                self.flush()

    # -- shipping ------------------------------------------------------------
    @_mainthread.section
    def flush(self):
        with self._ship_lock:
            buf = self._buf
            while buf:
                self._buf_bytes = 0
                popleft = buf.popleft
                batch = [popleft() for _ in range(len(buf))]
                self._seq += 1
                lengths = array("I", map(len, batch))
                self._deliver(self._seq, lengths, b"".join(batch))

    def _deliver(self, seq, lengths, data):
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        delay = 0.0
        while True:
            try:
                link = self._link
                if link is None:
                    link = self._link = self._open_link()
                link.deliver(self.kind, self._producer_id, seq, lengths, data)
                return
            except LinkLost:
                self._drop_link()
            except OSError as exc:  # e.g. the file cannot be opened by our writer
                self._drop_link()
                last_error = exc
                if time.monotonic() > deadline:
                    sys.stderr.write(
                        "logfunnel: dropped %d records for %s: %r\n" % (len(lengths), self.key, last_error)
                    )
                    return
            if time.monotonic() > deadline:
                sys.stderr.write(
                    "logfunnel: no writer for %s; dropped %d records\n" % (self.key, len(lengths))
                )
                return
            if delay:
                time.sleep(delay)
            delay = min(0.05, delay * 2 or 0.001)

    def _open_link(self):
        if self.address is None:  # no transport on this platform: stdlib behaviour
            return self._become_writer(None)
        while True:
            try:
                return _RemoteLink(_transport.connect(self.address, ACK_TIMEOUT))
            except (FileNotFoundError, ConnectionRefusedError):
                pass  # nobody is listening: stand for election
            except (BlockingIOError, InterruptedError, socket.timeout, ConnectionResetError):
                time.sleep(0.001)
                continue
            listener = _transport.try_listen(self.address)
            if listener is not None:
                return self._become_writer(listener)

    def _become_writer(self, listener):
        writer = Writer(listener, self._make_sink(self))
        writer.start()
        self.writer = writer
        return _LocalLink(writer)

    def _drop_link(self):
        link, self._link = self._link, None
        if link is not None:
            link.close()
        writer, self.writer = self.writer, None
        if writer is not None:
            writer.stop()

    # -- endings -------------------------------------------------------------
    @_mainthread.section
    def release_writer(self):
        """Hand the writer role over (process exit, channel close)."""
        with self._ship_lock:
            self._drop_link()

    def close(self):
        self.flush()
        self._closed = True
        self._wake.set()
        self.release_writer()

    def abandon_after_fork(self):
        """Forked child: nothing here is ours (the parent ships its buffer)."""
        self._closed = True
        link, self._link = self._link, None
        if isinstance(link, _RemoteLink):
            link.close()
        writer, self.writer = self.writer, None
        if writer is not None:
            writer.abandon_after_fork()
