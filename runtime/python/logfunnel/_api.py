"""Process-wide controls."""

from . import _lifecycle


def flush():
    """Ship every buffered record now (e.g. before ``os._exit`` in a forked child)."""
    _lifecycle.flush_all()


def shutdown():
    """Flush, then hand over any writer role this process holds."""
    _lifecycle.shutdown()
