"""Standard-library-only multi-process logging: QueueHandler in the workers,
one QueueListener in the parent.  For people who want no runtime dependency
(and for the quick fixes that rewrite code to the stdlib); nothing here uses
the rest of logfunnel.

    with queue_logging([logging.handlers.RotatingFileHandler("app.log", maxBytes=...)]) as ql:
        with multiprocessing.get_context("spawn").Pool(
                4, initializer=ql.worker_initializer, initargs=ql.initargs) as pool:
            pool.map(work, items)

Works under fork, spawn and forkserver, with Process (pass ``ql.queue`` and call
``install_queue_handler(queue)`` first thing in the child), Pool and
ProcessPoolExecutor (initializer/initargs).  ``manager=True`` uses a
``Manager().Queue()`` whose proxy can also travel inside task arguments.
"""

import atexit
import logging
import logging.handlers
import multiprocessing


def install_queue_handler(queue, level=logging.NOTSET):
    """Worker side: route everything the root logger sees into ``queue``."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        # Handlers inherited through fork would write to the file directly.
        root.removeHandler(handler)
    root.addHandler(logging.handlers.QueueHandler(queue))
    root.setLevel(level)


class QueueLogging(object):
    def __init__(self, handlers, level=logging.NOTSET, manager=False, context=None,
                 respect_handler_level=True):
        self._handlers = list(handlers)
        self._level = level
        self._manager = None
        ctx = multiprocessing.get_context(context)
        if manager:
            self._manager = ctx.Manager()
            self.queue = self._manager.Queue(-1)
        else:
            self.queue = ctx.Queue(-1)
        self._listener = logging.handlers.QueueListener(
            self.queue, *self._handlers, respect_handler_level=respect_handler_level
        )
        self._started = False

    worker_initializer = staticmethod(install_queue_handler)

    @property
    def initargs(self):
        return (self.queue, self._level)

    def start(self):
        if not self._started:
            self._listener.start()
            self._started = True
            atexit.register(self.stop)
        return self

    def stop(self):
        """Drain the queue into the handlers, then close them.  Idempotent."""
        if not self._started:
            return
        self._started = False
        try:
            atexit.unregister(self.stop)
        except Exception:
            pass
        self._listener.stop()
        for handler in self._handlers:
            handler.flush()
            handler.close()
        if self._manager is not None:
            self._manager.shutdown()
            self._manager = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        return False


def queue_logging(handlers, level=logging.NOTSET, manager=False, context=None,
                  respect_handler_level=True):
    """Build and start a QueueLogging (also usable as a context manager)."""
    return QueueLogging(handlers, level=level, manager=manager, context=context,
                        respect_handler_level=respect_handler_level).start()
