"""Make sure a SIGTERM actually reaches our Python-level handler.

CPython runs a Python signal handler only when the main thread next checks for
pending signals.  A blocking C call that is entered *after* the C-level handler
already ran (e.g. ``SemLock.acquire`` -> ``sem_wait`` in a Pool worker waiting on
the task queue: it tries once, then blocks without re-checking signals) is never
interrupted: the signal has been consumed, nothing wakes the main thread, and
the Python handler never runs.  With the default disposition the kernel would
have killed the process; with ours, ``Pool.terminate()`` then waits forever.

So, while our SIGTERM handler is installed, the C-level handler also writes the
signal number to a pipe (``signal.set_wakeup_fd``).  A thread of ours (SIGTERM
blocked) reads it and, until the handler reports that it started, re-sends
SIGTERM to the main thread every ``NUDGE_INTERVAL``; a re-sent signal that finds
the main thread inside its blocking system call interrupts it (EINTR) and the
handler runs.  If the application owns the wakeup fd already (asyncio), we
leave it alone and fall back to the plain handler.
"""

import os
import signal
import threading

from . import _mainthread

NUDGE_INTERVAL = 0.2
handler_started = threading.Event()
_fds = None  # (read_fd, write_fd) of this process's wakeup pipe


def start():
    """Call from the main thread, right after installing the SIGTERM handler."""
    global _fds
    if _fds is not None or not hasattr(signal, "pthread_kill"):
        return
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    try:
        previous = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    except (ValueError, OSError):
        previous = None
    if previous != -1:
        if previous is not None:
            signal.set_wakeup_fd(previous)  # someone else's: give it back
        os.close(read_fd)
        os.close(write_fd)
        return
    _fds = (read_fd, write_fd)
    watcher = threading.Thread(
        target=_watch,
        args=(read_fd, threading.main_thread().ident),
        name="logfunnel-sigwatch",
        daemon=True,
    )
    watcher.start()


def _watch(read_fd, main_ident):
    _mainthread.leave_signals_to_main_thread()
    while True:
        try:
            data = os.read(read_fd, 64)
        except InterruptedError:
            continue
        except OSError:
            return
        if not data:
            return
        if signal.SIGTERM not in data:
            continue  # another signal with a Python handler (SIGINT...): not ours
        while not handler_started.wait(NUDGE_INTERVAL):
            try:
                signal.pthread_kill(main_ident, signal.SIGTERM)
            except (OSError, ValueError):
                return


def reset_after_fork():
    """In a forked child: the pipe and the watcher thread belong to the parent."""
    global _fds, handler_started
    handler_started = threading.Event()
    if _fds is None:
        return
    fds, _fds = _fds, None
    try:
        current = signal.set_wakeup_fd(-1)
        if current != fds[1]:
            signal.set_wakeup_fd(current)  # the application's since: keep it
    except (ValueError, OSError):
        pass
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
