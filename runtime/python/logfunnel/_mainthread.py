"""Is the main thread inside logfunnel's shipping code right now?

A SIGTERM handler runs *in the main thread*, between two bytecodes of whatever
it was doing.  If that was a flush or the exit-time shutdown, the main thread
holds a channel's ship lock, and a helper thread that tried to flush would wait
for it forever.  So those sections are counted, and a SIGTERM arriving inside
one is deferred until the main thread leaves the outermost section.
"""

import functools
import threading

busy = 0
_deferred = None


def enter():
    global busy
    busy += 1


def leave():
    global busy, _deferred
    busy -= 1
    if busy == 0 and _deferred is not None:
        action, _deferred = _deferred, None
        action()


def defer(action):
    global _deferred
    _deferred = action


def section(function):
    """Count calls made by the main thread as a critical section."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        in_main = threading.current_thread() is threading.main_thread()
        if in_main:
            enter()
        try:
            return function(*args, **kwargs)
        finally:
            if in_main:
                leave()

    return wrapper


def reset_after_fork():
    global busy, _deferred
    busy = 0
    _deferred = None


def leave_signals_to_main_thread():
    """Call first thing in our helper threads.  A process-directed SIGTERM may
    be delivered to any thread that does not block it; if one of ours took it,
    the main thread, blocked in a system call, would never wake up to run the
    Python-level handler (a Pool worker waiting on its task queue would hang)."""
    import signal

    if hasattr(signal, "pthread_sigmask"):
        try:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
        except (OSError, ValueError):
            pass
