"""What the writer does with a frame: only write and rotate.

``FileSink`` writes the producers' bytes through the file handler object that
lives in the writer's process, reusing the stdlib ``doRollover`` of that
object so ``backupCount``, ``namer``, ``rotator``, ``when``/``utc``/``atTime``
behave exactly as in the standard library.

``RecordSink`` rebuilds LogRecords and hands them to the real handler that
``funnel(factory)`` creates in the writer process only.
"""

import json
import logging
import os


def write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class FileSink(object):
    def __init__(self, channel):
        self._channel = channel
        self._handler = None

    def _current_handler(self):
        handlers = self._channel.handlers
        handler = handlers[0] if handlers else self._handler
        if handler is not self._handler:
            if self._handler is not None:
                self._handler._funnel_close_stream()
            self._handler = handler
            if handler is not None:
                handler._funnel_begin_writing()
        return handler

    def write_batch(self, kind, lengths, data):
        handler = self._current_handler()
        if handler is None:
            raise OSError("no handler left to write with")
        handler._funnel_write(lengths, data)

    def close(self):
        if self._handler is not None:
            self._handler._funnel_close_stream()
            self._handler = None

    def abandon_after_fork(self):
        if self._handler is not None:
            self._handler._funnel_abandon_stream()
            self._handler = None


class RecordSink(object):
    def __init__(self, factory):
        self._factory = factory
        self._handler = None

    def write_batch(self, kind, lengths, data):
        if self._handler is None:
            self._handler = self._factory()
        offset = 0
        handle = self._handler.handle
        for size in lengths:
            attrs = json.loads(bytes(data[offset:offset + size]).decode("utf-8"))
            offset += size
            handle(logging.makeLogRecord(attrs))

    def close(self):
        handler, self._handler = self._handler, None
        if handler is not None:
            handler.flush()
            handler.close()

    def abandon_after_fork(self):
        self._handler = None
