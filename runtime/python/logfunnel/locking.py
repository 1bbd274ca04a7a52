"""Rotating file handlers that several processes can share: one file lock per write.

For places where no writer process is possible (a shared network filesystem written
from several hosts, a platform that forbids helper processes), these handlers serialise
every write and every rollover with an exclusive lock on a sidecar file
(``.<name>.lock`` beside the log; ``fcntl.flock`` on POSIX, ``msvcrt.locking`` on
Windows).

What happens per record, and why:

1. The record is formatted *before* taking the lock, so formatting stays parallel.
2. Lock. Compare the inode at the log path with the one our descriptor points at: if
   another process rotated the file, reopen. The size used for the size check is the
   real size on disk under the lock, never our own idea of it, so the decision to rotate
   is taken once, by whichever process first finds the file full.
3. Rotate if needed (the stdlib ``doRollover``, so ``namer``/``rotator`` are honoured),
   write the record with one ``write`` on an ``O_APPEND`` descriptor, unlock.

The file stays open between records (no open/close per record, unlike
concurrent-log-handler); the only extra system calls are the two ``flock`` and one
``stat``. Time-based rollover records the next rollover time in the lock file, so a
process that wakes up after another one already rotated does not rotate a second time.
"""

import locale
import logging
import logging.handlers
import os
import stat
import time

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt


def lock_path_for(filename):
    """Sidecar lock file: hidden, beside the log, never matched as a backup."""
    directory, base = os.path.split(os.path.abspath(filename))
    return os.path.join(directory, ".%s.lock" % base)


class _InterProcessLock:
    """Exclusive lock on a sidecar file; the handler calls after_fork() in a child.

    flock locks belong to the open file description, which a forked child shares with
    its parent, so parent and child would not exclude each other through an inherited
    descriptor: each process opens its own.
    """

    def __init__(self, path):
        self.path = path
        self._fd = None

    def _ensure_open(self):
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0),
                               0o666)
        return self._fd

    def after_fork(self):
        """In a forked child: drop the inherited descriptor, open our own on next use."""
        if self._fd is not None:
            try:
                os.close(self._fd)  # the child's copy; the parent's lock stays intact
            except OSError:
                pass
        self._fd = None

    def acquire(self):
        fd = self._ensure_open()
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        else:
            os.lseek(fd, 0, os.SEEK_SET)
            while True:
                try:
                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                    break
                except OSError:
                    time.sleep(0.001)

    def release(self):
        if fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        else:
            os.lseek(self._fd, 0, os.SEEK_SET)
            msvcrt.locking(self._fd, msvcrt.LK_UNLCK, 1)

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc):
        self.release()
        return False

    # Small shared state kept in the lock file (only read/written under the lock).
    def read_state(self):
        fd = self._fd
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, 64)
        try:
            return float(data.decode("ascii").strip()) if data.strip() else None
        except ValueError:
            return None

    def write_state(self, value):
        fd = self._fd
        os.lseek(fd, 0, os.SEEK_SET)
        data = ("%.6f\n" % value).encode("ascii")
        os.write(fd, data)
        os.ftruncate(fd, len(data))

    def close(self):
        if self._fd is not None:
            try:
                os.close(self._fd)
            except OSError:
                pass
        self._fd = None


class _LockedWriterMixin:
    """Shared write path of both handlers; the rotation policy is in the subclasses."""

    # On Windows an open file cannot be renamed by another process, so there the file is
    # closed after every record (as concurrent-log-handler does there).
    _close_after_write = os.name == "nt"

    def _init_locking(self, mode, encoding, errors, delay):
        # Everything is opened under the lock, by us: the base class must not open at init.
        self._file_lock = _InterProcessLock(lock_path_for(self.baseFilename))
        self._stream_id = None
        self._pid = os.getpid()
        self._truncate_pending = mode.startswith("w")
        enc = encoding if encoding not in (None, "locale") else locale.getpreferredencoding(False)
        self._wire_encoding = enc
        self._wire_errors = errors or "strict"
        self.delay = delay
        if not delay:
            with self.lock, self._file_lock:
                self._sync_stream()

    def _open(self):
        """Binary, unbuffered, O_APPEND: one write() per record, nothing kept in user space."""
        if self._truncate_pending:
            self._truncate_pending = False
            stream = open(self.baseFilename, "wb", buffering=0)
            stream.close()
        stream = open(self.baseFilename, "ab", buffering=0)
        st = os.fstat(stream.fileno())
        self._stream_id = (st.st_dev, st.st_ino)
        return stream

    def _close_stream(self):
        stream, self.stream = self.stream, None
        self._stream_id = None
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass

    def _check_fork(self):
        """One getpid() per record: after fork() use descriptors of our own.

        Sharing the parent's lock descriptor would make flock exclude nobody, and the
        parent's stream object is the parent's business.
        """
        pid = os.getpid()
        if pid != self._pid:
            self._pid = pid
            self._file_lock.after_fork()
            self._close_stream()

    def _sync_stream(self):
        """Under the lock: point self.stream at the file now at the path; return its stat."""
        try:
            st = os.stat(self.baseFilename)
        except FileNotFoundError:
            st = None
        if self.stream is None or st is None or (st.st_dev, st.st_ino) != self._stream_id:
            self._close_stream()
            self.stream = self._open()
            st = os.fstat(self.stream.fileno())
        return st

    def emit(self, record):
        try:
            msg = self.format(record) + self.terminator
            if os.linesep != "\n":
                msg = msg.replace("\n", os.linesep)
            data = msg.encode(self._wire_encoding, self._wire_errors)
            self._check_fork()
            with self._file_lock:
                st = self._sync_stream()
                if self._should_rotate_locked(st, len(data)):
                    self._rollover_locked()
                    if self.stream is None:
                        self._sync_stream()
                _write_all(self.stream.fileno(), data)
                if self._close_after_write:
                    self._close_stream()
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def doRollover(self):
        """Public rollover (e.g. called by user code): taken under the lock like ours."""
        with self.lock:
            self._check_fork()
            with self._file_lock:
                self._sync_stream()
                self._rollover_locked()

    def flush(self):
        pass  # nothing is buffered: every record is one write() on an unbuffered file

    def close(self):
        with self.lock:
            try:
                self._close_stream()
                self._file_lock.close()
            finally:
                logging.Handler.close(self)


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


class LockingRotatingFileHandler(_LockedWriterMixin, logging.handlers.RotatingFileHandler):
    """Drop-in RotatingFileHandler that many processes may share (same signature).

    Rollover happens when the record would bring the file to ``maxBytes`` or beyond, as
    in the stdlib, so each backup is within one record of ``maxBytes``; it happens once
    however many processes see the full file.
    """

    def __init__(self, filename, mode="a", maxBytes=0, backupCount=0, encoding=None,
                 delay=False, errors=None):
        if maxBytes > 0:
            mode = "a"  # as the stdlib: truncating a rotating log makes no sense
        logging.handlers.RotatingFileHandler.__init__(
            self, filename, "a", maxBytes, backupCount, encoding, True, **_errors_kw(errors))
        self._init_locking(mode, encoding, errors, delay)

    def _should_rotate_locked(self, st, nbytes):
        if self.maxBytes <= 0 or self.backupCount <= 0:
            return False  # stdlib: rollover never occurs without both
        if not stat.S_ISREG(st.st_mode):
            return False  # never rotate /dev/null or a FIFO
        return st.st_size > 0 and st.st_size + nbytes >= self.maxBytes

    def _rollover_locked(self):
        logging.handlers.RotatingFileHandler.doRollover(self)

    def shouldRollover(self, record):
        """Stdlib API, answered from the real file size (a hint: emit decides under lock)."""
        try:
            st = os.stat(self.baseFilename)
        except OSError:
            return False
        data = (self.format(record) + self.terminator).encode(self._wire_encoding,
                                                             self._wire_errors)
        return self._should_rotate_locked(st, len(data))


class LockingTimedRotatingFileHandler(_LockedWriterMixin,
                                      logging.handlers.TimedRotatingFileHandler):
    """Drop-in TimedRotatingFileHandler that many processes may share (same signature).

    The process that first finds the period over rotates and writes the next rollover
    time into the lock file; the others read it there and just reopen the new file.
    """

    def __init__(self, filename, when="h", interval=1, backupCount=0, encoding=None,
                 delay=False, utc=False, atTime=None, errors=None):
        logging.handlers.TimedRotatingFileHandler.__init__(
            self, filename, when, interval, backupCount, encoding, True, utc, atTime,
            **_errors_kw(errors))
        self._init_locking("a", encoding, errors, delay)

    def _should_rotate_locked(self, st, nbytes):
        now = int(time.time())
        if now < self.rolloverAt:
            return False
        if not stat.S_ISREG(st.st_mode):
            self.rolloverAt = self.computeRollover(now)
            return False
        shared = self._file_lock.read_state()
        if shared is not None and now < shared:
            # Another process already rotated for this boundary: adopt its schedule.
            self.rolloverAt = int(shared)
            return False
        if shared is not None:
            # The file at the path belongs to the period that ended at `shared`; naming
            # the backup after it is right even if this process slept for a while.
            self.rolloverAt = int(shared)
        return True

    def _rollover_locked(self):
        logging.handlers.TimedRotatingFileHandler.doRollover(self)
        self._file_lock.write_state(self.rolloverAt)

    def shouldRollover(self, record):
        return int(time.time()) >= self.rolloverAt


def _errors_kw(errors):
    # The ``errors`` argument appeared in Python 3.9.
    import sys
    return {"errors": errors} if sys.version_info >= (3, 9) else {}
