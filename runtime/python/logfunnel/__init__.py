"""logfunnel: every process logs, one process writes each file.

Names are resolved lazily (module ``__getattr__``) so that importing logfunnel
is cheap and a missing optional module never breaks ``import logfunnel``.
"""

__version__ = "0.1.0"

_EXPORTS = {
    "FileHandler": ".handlers",
    "RotatingFileHandler": ".handlers",
    "TimedRotatingFileHandler": ".handlers",
    "WatchedFileHandler": ".handlers",
    "funnel": ".funnel",
    "FunnelHandler": ".funnel",
    "queue_logging": ".queues",
    "QueueLogging": ".queues",
    "install_queue_handler": ".queues",
    "flush": "._api",
    "shutdown": "._api",
    "LockingRotatingFileHandler": ".locking",
    "LockingTimedRotatingFileHandler": ".locking",
    "BufferingSocketHandler": ".sockets",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError("module 'logfunnel' has no attribute %r" % (name,))
    import importlib

    value = getattr(importlib.import_module(module_name, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
