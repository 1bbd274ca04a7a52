"""Where the single writer of a log file can be found, and how it is elected.

Every log file (or funnel key) has one *rendezvous address* derived from a hash
of its key.  Whoever manages to bind that address is the writer; everybody else
connects to it.  Binding is the election, so no lock file can go stale:

* Linux: an abstract-namespace Unix socket.  The name disappears with the last
  file descriptor that holds it, even after SIGKILL, so a dead writer never
  blocks the next election.
* Other POSIX systems: a path socket in a private (0700) runtime directory,
  guarded by an ``flock`` on a sibling lock file.  The lock is released by the
  kernel when the writer dies; the winner unlinks the stale socket path first.
* Windows (not implemented yet): the same interface maps to a lock file held
  with ``msvcrt.locking`` plus a loopback TCP listener whose port and a random
  token are written into the lock file.  ``AVAILABLE`` is False there, and the
  channel falls back to an in-process writer (stdlib behaviour).

Only this module knows about sockets addresses, so a new transport is a new
implementation of ``address_for`` / ``connect`` / ``try_listen`` / ``peer_allowed``.
"""

import errno
import hashlib
import os
import socket
import struct
import sys
import tempfile

AVAILABLE = hasattr(socket, "AF_UNIX")
_ABSTRACT = sys.platform.startswith("linux")


class Listener(object):
    """A bound, listening socket plus whatever keeps the election won."""

    def __init__(self, sock, lock_fd=None, path=None):
        self.sock = sock
        self._lock_fd = lock_fd
        self._path = path

    def close(self, unlink=True):
        # Unlink before closing: once the lock is released another process may
        # bind the same path, and we must not remove *its* socket.
        if unlink and self._path is not None:
            try:
                os.unlink(self._path)
            except OSError:
                pass
        try:
            self.sock.close()
        finally:
            if self._lock_fd is not None:
                try:
                    os.close(self._lock_fd)
                except OSError:
                    pass
                self._lock_fd = None


def _runtime_dir():
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    path = os.path.join(base, "logfunnel-%d" % os.getuid())
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    return path


def address_for(key):
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    if _ABSTRACT:
        return "\0logfunnel-%d-%s" % (os.getuid(), digest)
    return os.path.join(_runtime_dir(), digest + ".sock")


def connect(address, timeout):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(address)
    except BaseException:
        sock.close()
        raise
    return sock


def try_listen(address):
    """Bind the rendezvous address; None if another process already holds it."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if _ABSTRACT:
        try:
            sock.bind(address)
        except OSError as exc:
            sock.close()
            if exc.errno == errno.EADDRINUSE:
                return None
            raise
        sock.listen(128)
        return Listener(sock)
    import fcntl

    lock_fd = os.open(address + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(lock_fd)
        sock.close()
        return None
    try:
        os.unlink(address)  # left behind by a writer that died
    except FileNotFoundError:
        pass
    sock.bind(address)
    sock.listen(128)
    return Listener(sock, lock_fd=lock_fd, path=address)


_PEERCRED = struct.Struct("3i")


def peer_allowed(sock):
    """Only processes of our own user may write into our log files."""
    if hasattr(socket, "SO_PEERCRED"):
        raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _PEERCRED.size)
        _pid, uid, _gid = _PEERCRED.unpack(raw)
        return uid == os.getuid()
    return True  # path sockets live in a 0700 directory
