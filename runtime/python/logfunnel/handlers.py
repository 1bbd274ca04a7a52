"""Drop-in file handlers: the stdlib classes, with emit() replaced by "format
here, ship the bytes to the one writer for this file".

Each class subclasses its stdlib namesake, so constructor signatures, dictConfig,
fileConfig (``class=logfunnel.RotatingFileHandler``), ``namer``/``rotator``,
``backupCount``, ``when``/``utc``/``atTime``, ``encoding``/``errors`` all mean what
they mean in the standard library.  The stdlib object is created with
``delay=True`` so producers never open the file; the writer process uses its own
handler object's ``doRollover`` (the stdlib code) to rotate.
"""

import inspect
import locale
import logging
import logging.handlers
import os
import stat
import time

from . import _lifecycle, _protocol
from ._sinks import FileSink, write_all

_LINESEP = os.linesep


def _open_sink_file(path, terminator):
    stream = open(path, "ab", buffering=0)
    try:
        _terminate_torn_line(stream, terminator)
    except OSError:
        pass
    return stream


def _terminate_torn_line(stream, terminator):
    """A writer killed inside write() may leave a partial last line; its frame
    was not acked and will be resent in full.  End the fragment so the next
    record starts on its own line (we never delete bytes we did not write)."""
    if not terminator.endswith("\n"):
        return
    fd = stream.fileno()
    st = os.fstat(fd)
    if st.st_size == 0 or not stat.S_ISREG(st.st_mode):
        return
    with open(stream.name, "rb") as reader:
        reader.seek(st.st_size - 1)
        if reader.read(1) != b"\n":
            write_all(fd, _LINESEP.encode("ascii"))


class _FunnelFileMixin(object):
    """Producer half (emit/flush/close) and writer half (_funnel_write)."""

    _stdlib_base = None

    def __init__(self, *args, **kwargs):
        base = self._stdlib_base
        bound = inspect.signature(base.__init__).bind(self, *args, **kwargs)
        bound.apply_defaults()
        user_delay = bound.arguments.get("delay", False)
        bound.arguments["delay"] = True  # producers never open the file
        base.__init__(*bound.args, **bound.kwargs)
        self._funnel_key = "file:" + os.path.realpath(self.baseFilename)
        encoding = self.encoding
        if encoding in (None, "locale"):  # 3.10+ stores io.text_encoding()'s "locale"
            encoding = locale.getpreferredencoding(False)
        self._funnel_encoding = encoding
        self._funnel_errors = getattr(self, "errors", None) or "strict"
        self._funnel_channel = None
        self._funnel_generation = -1
        if not user_delay:
            # Like the stdlib, the file exists once the handler does ('w' truncates).
            flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if "w" in self.mode else os.O_APPEND)
            os.close(os.open(self.baseFilename, flags, 0o666))

    # -- producer ------------------------------------------------------------
    def _funnel_attach(self):
        channel = _lifecycle.channel_for(self._funnel_key, _protocol.KIND_BYTES, FileSink)
        channel.add_handler(self)
        self._funnel_channel = channel
        self._funnel_generation = _lifecycle.generation
        return channel

    def emit(self, record):
        try:
            msg = self.format(record) + self.terminator
            if _LINESEP != "\n":
                msg = msg.replace("\n", _LINESEP)
            data = msg.encode(self._funnel_encoding, self._funnel_errors)
            channel = self._funnel_channel
            if channel is None or self._funnel_generation != _lifecycle.generation:
                channel = self._funnel_attach()
            channel.append(data)
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def flush(self):
        channel = self._funnel_channel
        if channel is not None and self._funnel_generation == _lifecycle.generation:
            channel.flush()

    def close(self):
        channel, self._funnel_channel = self._funnel_channel, None
        if channel is not None and self._funnel_generation == _lifecycle.generation:
            channel.flush()
            if channel.remove_handler(self):
                _lifecycle.forget(channel)
                channel.close()
        logging.Handler.close(self)

    # -- writer --------------------------------------------------------------
    def _open(self):
        # Only ever called in the writer (our emit never opens the file).
        return _open_sink_file(self.baseFilename, self.terminator)

    def _funnel_stream_fd(self):
        if self.stream is None:
            self.stream = self._open()
            if hasattr(self, "_statstream"):
                self._statstream()
        return self.stream.fileno()

    def _funnel_write(self, lengths, data):
        write_all(self._funnel_stream_fd(), data)

    def _funnel_begin_writing(self):
        """This object just became the writer's (maybe after a handover)."""

    def _funnel_close_stream(self):
        stream, self.stream = self.stream, None
        if stream is not None:
            stream.close()

    _funnel_abandon_stream = _funnel_close_stream


def _is_regular(fd):
    return stat.S_ISREG(os.fstat(fd).st_mode)


class FileHandler(_FunnelFileMixin, logging.FileHandler):
    _stdlib_base = logging.FileHandler


class WatchedFileHandler(_FunnelFileMixin, logging.handlers.WatchedFileHandler):
    """Reopens when the file is moved away (logrotate), in the writer only."""

    _stdlib_base = logging.handlers.WatchedFileHandler

    def _funnel_write(self, lengths, data):
        if self.stream is not None:
            self.reopenIfNeeded()
        write_all(self._funnel_stream_fd(), data)


class RotatingFileHandler(_FunnelFileMixin, logging.handlers.RotatingFileHandler):
    """Rolls over before the record that would make the file reach maxBytes,
    exactly as the stdlib decides it, but once, in the single writer."""

    _stdlib_base = logging.handlers.RotatingFileHandler

    def _funnel_write(self, lengths, data):
        fd = self._funnel_stream_fd()
        max_bytes = self.maxBytes
        if max_bytes <= 0:
            write_all(fd, data)
            return
        st = os.fstat(fd)
        pos = st.st_size
        if pos + len(data) < max_bytes or not stat.S_ISREG(st.st_mode):
            write_all(fd, data)
            return
        start = offset = 0
        for size in lengths:
            # pos > 0: never rotate an empty file (the stdlib would, for a
            # single record larger than maxBytes, leaving empty backups).
            if pos > 0 and pos + size >= max_bytes:
                if offset > start:
                    write_all(fd, data[start:offset])
                self.doRollover()
                fd = self._funnel_stream_fd()
                pos = 0
                start = offset
            pos += size
            offset += size
        if offset > start:
            write_all(fd, data[start:offset])


    def doRollover(self):
        """The stdlib's rollover, minus its one stat() per possible backup
        (backupCount of them, every rollover): list the directory once."""
        if self.namer is not None or self.backupCount <= 0:
            return logging.handlers.RotatingFileHandler.doRollover(self)
        if self.stream:
            self.stream.close()
            self.stream = None
        base = self.baseFilename
        prefix = os.path.basename(base) + "."
        existing = set()
        with os.scandir(os.path.dirname(base)) as entries:
            for entry in entries:
                suffix = entry.name[len(prefix):]
                if entry.name.startswith(prefix) and suffix.isdigit():
                    existing.add(int(suffix))
        for i in sorted((i for i in existing if 0 < i < self.backupCount), reverse=True):
            target = "%s.%d" % (base, i + 1)
            if i + 1 in existing:
                os.remove(target)
            os.rename("%s.%d" % (base, i), target)
            existing.discard(i)
            existing.add(i + 1)
        first = base + ".1"
        if 1 in existing:
            os.remove(first)
        self.rotate(base, first)
        if not self.delay:
            self.stream = self._open()


class TimedRotatingFileHandler(_FunnelFileMixin, logging.handlers.TimedRotatingFileHandler):
    """Rolls over at the stdlib's computed boundary (when/interval/utc/atTime),
    checked once per batch when the writer writes it."""

    _stdlib_base = logging.handlers.TimedRotatingFileHandler

    def _funnel_begin_writing(self):
        # Our rolloverAt may be stale (computed when this process created the
        # handler; another writer may have rolled over since).  Recompute it as
        # the stdlib does at construction: from the file's last write.
        try:
            t = int(os.stat(self.baseFilename).st_mtime)
        except FileNotFoundError:
            t = int(time.time())
        self.rolloverAt = self.computeRollover(t)

    def _funnel_write(self, lengths, data):
        fd = self._funnel_stream_fd()
        if time.time() >= self.rolloverAt and _is_regular(fd):
            self.doRollover()
            fd = self._funnel_stream_fd()
        write_all(fd, data)
