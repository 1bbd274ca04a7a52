"""funnel(factory): ship records of any handler to the one process that owns it.

Producers run level checks and filters, merge ``msg % args`` and render the
traceback text, then send the record's attributes as JSON (never pickle: the
writer must not execute what a peer sends).  Only the elected writer process
calls ``factory()`` and handles the rebuilt records; its formatter runs there.
"""

import json
import logging

from . import _lifecycle, _protocol
from ._sinks import RecordSink

_exc_formatter = logging.Formatter()


def _key_of(factory):
    name = "%s.%s" % (getattr(factory, "__module__", "?"), getattr(factory, "__qualname__", "?"))
    if "<" in name or "?" in name:
        raise ValueError(
            "funnel(): pass key=... for a factory without a stable name (lambda, partial)"
        )
    return name


def _record_to_json(record):
    attrs = dict(record.__dict__)
    attrs["msg"] = record.getMessage()
    attrs["args"] = None
    if record.exc_info:
        if not record.exc_text:
            record.exc_text = _exc_formatter.formatException(record.exc_info)
        attrs["exc_text"] = record.exc_text
    attrs["exc_info"] = None
    return json.dumps(attrs, default=str, ensure_ascii=False).encode("utf-8")


class FunnelHandler(logging.Handler):
    def __init__(self, factory, key=None, level=logging.NOTSET):
        logging.Handler.__init__(self, level)
        self._factory = factory
        self._funnel_key = "funnel:" + (key or _key_of(factory))
        self._channel = None
        self._generation = -1

    def _make_sink(self, channel):
        return RecordSink(self._factory)

    def emit(self, record):
        try:
            data = _record_to_json(record)
            channel = self._channel
            if channel is None or self._generation != _lifecycle.generation:
                channel = self._channel = _lifecycle.channel_for(
                    self._funnel_key, _protocol.KIND_RECORDS, self._make_sink
                )
                channel.add_handler(self)
                self._generation = _lifecycle.generation
            channel.append(data)
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def flush(self):
        if self._channel is not None and self._generation == _lifecycle.generation:
            self._channel.flush()

    def close(self):
        channel, self._channel = self._channel, None
        if channel is not None and self._generation == _lifecycle.generation:
            channel.flush()
            if channel.remove_handler(self):
                _lifecycle.forget(channel)
                channel.close()
        logging.Handler.close(self)


def funnel(factory, key=None, level=logging.NOTSET):
    """A handler that forwards to ``factory()`` living in a single process.

    ``key`` names the destination across processes; by default the factory's
    qualified name (so it must be importable-looking, not a lambda).
    """
    return FunnelHandler(factory, key=key, level=level)
