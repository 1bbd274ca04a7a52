"""Per-process registry of channels, and the hooks that keep it honest across
fork, normal exit, multiprocessing's ``os._exit`` and SIGTERM.

* fork: the child gets a fresh, empty registry (``generation`` changes, so
  handlers re-attach on their next emit) and closes every inherited socket and
  file of the parent's channels and writer without touching them otherwise.
* exit: ``shutdown`` flushes every channel, then hands writer roles over.  It
  runs from atexit, from a multiprocessing finalizer (fork children leave via
  ``os._exit`` and skip atexit) and from a SIGTERM handler that is installed
  only where SIGTERM still has its default action (Pool.terminate()).
"""

import atexit
import os
import signal
import sys
import threading

from . import _mainthread, _sigwatch
from ._channel import Channel

SIGTERM_GRACE = float(os.environ.get("LOGFUNNEL_SIGTERM_GRACE", 10.0))
generation = 0
_channels = {}
_registry_lock = threading.Lock()
_hooks_pid = None


def channel_for(key, kind, make_sink):
    with _registry_lock:
        channel = _channels.get(key)
        if channel is None:
            channel = _channels[key] = Channel(key, kind, make_sink)
            _install_process_hooks()
        return channel


def forget(channel):
    with _registry_lock:
        if _channels.get(channel.key) is channel:
            del _channels[channel.key]


def flush_all():
    for channel in list(_channels.values()):
        try:
            channel.flush()
        except Exception as exc:
            sys.stderr.write("logfunnel: flush failed: %r\n" % (exc,))


_exit_callbacks = []


def on_exit(callback):
    """Call ``callback()`` when this process leaves: normal exit, a multiprocessing child's
    ``os._exit`` (atexit does not run there) or SIGTERM (``Pool.terminate()``)."""
    with _registry_lock:
        _exit_callbacks.append(callback)
        _install_process_hooks()


@_mainthread.section
def shutdown():
    """Ship everything buffered and give up writer roles.  Idempotent."""
    for callback in list(_exit_callbacks):
        try:
            callback()
        except Exception as exc:
            sys.stderr.write("logfunnel: exit hook failed: %r\n" % (exc,))
    flush_all()
    for channel in list(_channels.values()):
        try:
            channel.release_writer()
        except Exception as exc:
            sys.stderr.write("logfunnel: handover failed: %r\n" % (exc,))


def _after_fork_in_child():
    global generation, _channels, _registry_lock, _hooks_pid
    inherited = _channels
    _channels = {}
    del _exit_callbacks[:]  # the parent's hooks are the parent's
    _registry_lock = threading.Lock()
    _hooks_pid = None
    _mainthread.reset_after_fork()
    _sigwatch.reset_after_fork()
    _restore_default_sigterm()
    generation += 1
    for channel in inherited.values():
        channel.abandon_after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _die_of_sigterm():
    shutdown()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def _shutdown_off_main():
    _mainthread.leave_signals_to_main_thread()
    shutdown()


def _restore_default_sigterm():
    # A forked child inherits our handler but not the watcher that makes it
    # reliable (see _sigwatch); until it creates a channel of its own (which
    # installs both again) it has nothing to ship, so dying outright is right.
    try:
        if signal.getsignal(signal.SIGTERM) is _on_sigterm:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
    except (ValueError, OSError, AttributeError):
        pass


def _on_sigterm(signum, frame):
    if _sigwatch.handler_started.is_set():
        return  # a repeat (the watcher's nudge, or a second kill): the first one is at work
    _sigwatch.handler_started.set()
    if _mainthread.busy:
        # Interrupted inside a flush or the exit-time shutdown: let the main
        # thread finish it (it holds the locks), then ship the rest and die.
        _mainthread.defer(_die_of_sigterm)
        return
    # The interrupted main thread holds none of our locks now; still, ship from
    # another thread and give up after a while rather than hang a dying process.
    worker = threading.Thread(target=_shutdown_off_main, name="logfunnel-sigterm", daemon=True)
    worker.start()
    worker.join(SIGTERM_GRACE)
    if worker.is_alive() and os.environ.get("LOGFUNNEL_DEBUG"):
        import faulthandler
        faulthandler.dump_traceback(all_threads=True)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def _install_process_hooks():
    global _hooks_pid
    pid = os.getpid()
    if _hooks_pid == pid:
        return
    _hooks_pid = pid
    mp_util = sys.modules.get("multiprocessing.util")
    if mp_util is not None:
        mp_util.Finalize(None, shutdown, exitpriority=100)
    if (
        hasattr(signal, "SIGTERM")
        and os.environ.get("LOGFUNNEL_NO_SIGTERM") != "1"
        and threading.current_thread() is threading.main_thread()
    ):
        try:
            if signal.getsignal(signal.SIGTERM) in (signal.SIG_DFL, None):
                signal.signal(signal.SIGTERM, _on_sigterm)
                _sigwatch.start()
        except (ValueError, OSError):
            pass


# Registered when logfunnel is imported, i.e. after logging: atexit runs it
# first, so logging.shutdown() later finds empty buffers.
atexit.register(shutdown)
