"""The single writer for one key: a thread in whichever process won the election.

It accepts producer connections, reads whole frames, hands them to the sink
(write + rotate, nothing else) and acks each frame after it is written.  One
thread does all socket I/O and all writes, so writes are naturally serialised;
the process's own producer calls ``submit`` directly under the same lock.

Handover (``stop``): the loop finishes the frame it is processing, stops reading,
closes the file, and only *then* closes its connections and the listening
socket.  Frames that were not read are not acked, so their producers resend
them to the next writer; the next writer can only be elected once the name is
released, i.e. after our file is closed.  Nothing is lost or written twice.
"""

import selectors
import socket
import sys
import threading

from . import _mainthread, _protocol, _transport


class WriterGone(Exception):
    """The writer in this process has handed over; elect a new one."""


class _Conn(object):
    __slots__ = ("sock", "inbuf")

    def __init__(self, sock):
        self.sock = sock
        self.inbuf = bytearray()


class Writer(object):
    def __init__(self, listener, sink):
        self._listener = listener
        self._sink = sink
        self._lock = threading.Lock()
        self._stopping = False
        self._closed = False
        self._last_seq = {}
        self._conns = {}
        self._thread = None
        if listener is not None:
            self._wake_r, self._wake_w = socket.socketpair()
        else:
            self._wake_r = self._wake_w = None

    # -- in-process producer -------------------------------------------------
    def submit(self, kind, producer_id, seq, lengths, data):
        with self._lock:
            if self._closed:
                raise WriterGone()
            self._apply(kind, producer_id, seq, lengths, data)

    def _apply(self, kind, producer_id, seq, lengths, data):
        if seq <= self._last_seq.get(producer_id, 0):
            return  # a resend of a frame we already wrote
        self._sink.write_batch(kind, lengths, data)
        self._last_seq[producer_id] = seq

    # -- lifecycle -----------------------------------------------------------
    def start(self):
        if self._listener is None:
            return
        thread = threading.Thread(target=self._run, name="logfunnel-writer", daemon=True)
        try:
            thread.start()
        except RuntimeError:
            # No new threads at interpreter shutdown (3.12+): keep the name
            # bound (exclusivity) and write only our own records until stop();
            # peers wait in the backlog, get reset then, and resend elsewhere.
            return
        self._thread = thread

    def stop(self, timeout=10.0):
        """Orderly handover; safe to call twice."""
        self._stopping = True
        if self._wake_w is not None:
            try:
                self._wake_w.send(b"x")
            except OSError:
                pass
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                self._sink.close()
            finally:
                self._close_sockets()

    def abandon_after_fork(self):
        """In a forked child: drop inherited descriptors, take no locks."""
        self._closed = True
        self._sink.abandon_after_fork()
        self._close_sockets()

    def _close_sockets(self):
        for conn in list(self._conns.values()):
            try:
                conn.sock.close()
            except OSError:
                pass
        self._conns.clear()
        if self._listener is not None:
            self._listener.close()
        for s in (self._wake_r, self._wake_w):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass

    # -- the loop ------------------------------------------------------------
    def _run(self):
        _mainthread.leave_signals_to_main_thread()
        sel = selectors.DefaultSelector()
        lsock = self._listener.sock
        lsock.setblocking(False)
        sel.register(lsock, selectors.EVENT_READ, None)
        sel.register(self._wake_r, selectors.EVENT_READ, None)
        try:
            while not self._stopping:
                for key, _ in sel.select():
                    if self._stopping:
                        break
                    if key.fileobj is lsock:
                        self._accept(sel, lsock)
                    elif key.fileobj is self._wake_r:
                        try:
                            self._wake_r.recv(64)
                        except OSError:
                            pass
                    else:
                        self._read(sel, key.data)
        except Exception as exc:  # never leave a bound name without a reader
            sys.stderr.write("logfunnel: writer loop failed: %r\n" % (exc,))
            threading.Thread(target=self.stop, daemon=True).start()
        finally:
            sel.close()

    def _accept(self, sel, lsock):
        while True:
            try:
                sock, _ = lsock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            if not _transport.peer_allowed(sock):
                sock.close()
                continue
            sock.setblocking(False)
            conn = _Conn(sock)
            self._conns[sock.fileno()] = conn
            sel.register(sock, selectors.EVENT_READ, conn)

    def _drop(self, sel, conn):
        try:
            sel.unregister(conn.sock)
        except (KeyError, ValueError):
            pass
        self._conns.pop(conn.sock.fileno(), None)
        conn.sock.close()

    def _read(self, sel, conn):
        try:
            chunk = conn.sock.recv(1 << 18)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._drop(sel, conn)
            return
        conn.inbuf += chunk
        while True:
            try:
                frame = _protocol.take_frame(conn.inbuf)
            except _protocol.ProtocolError:
                self._drop(sel, conn)
                return
            if frame is None:
                return
            kind, producer_id, seq, lengths, data = frame
            with self._lock:
                if self._closed:
                    return
                try:
                    self._apply(kind, producer_id, seq, lengths, data)
                except Exception as exc:
                    # Not acked: the producer will resend to a healthier writer.
                    sys.stderr.write("logfunnel: write failed: %r\n" % (exc,))
                    self._drop(sel, conn)
                    return
            try:
                conn.sock.send(_protocol.encode_ack(seq))
            except OSError:
                self._drop(sel, conn)
                return
