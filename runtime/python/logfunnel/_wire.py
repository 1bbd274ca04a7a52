"""Wire formats of the logfunnel log server, decoded without ever executing anything.

Two framings share one listening socket:

* **stdlib** -- what ``logging.handlers.SocketHandler`` sends: a 4-byte big-endian
  length, then ``pickle.dumps(record.__dict__)``. It is decoded by
  :class:`SafeUnpickler`, whose ``find_class`` refuses every global. Without globals
  the pickle machine can only build its own built-in values (dict, list, tuple, set,
  str, bytes, int, float, bool, None), so no callable from the sender is ever reached.
* **logfunnel JSON** -- the connection opens with the 4 magic bytes ``b"LFJ1"``; every
  frame after that is a 4-byte big-endian length, then one UTF-8 JSON object with the
  same keys as the stdlib dict.
* **acknowledged pickle** -- ``b"LFP1"``, then stdlib frames.

After a magic the server acknowledges (see ACK): that is what lets
BufferingSocketHandler resend exactly what a restarting server did not write.

Why one port and a magic instead of a second port: one address to configure, and a
magic read as a stdlib length is above 0x4C464A31 (about 1.28 GB), far above any frame
size the server accepts, so the framings can never be confused.

A frame whose pickle does reference a global (an extra that is a ``datetime``, a
``Decimal``, a custom object...) is either refused or, by default, decoded a second time
with :class:`InertUnpickler`, which hands the pickle machine inert placeholders of our
own instead of the named classes; the placeholders are then turned into strings such as
``"decimal.Decimal('1.5')"``. The named module is never imported, nothing it names runs.
"""

import copyreg
import io
import json
import logging
import math
import pickle
import struct
import time

HEADER = struct.Struct(">L")
JSON_MAGIC = b"LFJ1"    # logfunnel JSON frames, acknowledged
PICKLE_MAGIC = b"LFP1"  # stdlib pickle frames, acknowledged
# Acknowledgements (server -> client, only after a magic): 8-byte big-endian cumulative
# count of frames of this connection that are written (or refused for good). CLOSING
# means "shutting down: stop sending"; the final count follows, then end of stream.
ACK = struct.Struct(">Q")
ACK_CLOSING = (1 << 64) - 1
DEFAULT_MAX_FRAME = 1 << 20  # 1 MiB: a log record is rarely over a few KiB
# Any limit at or above the magic read as a length would make the framings ambiguous.
MAX_FRAME_CEILING = HEADER.unpack(JSON_MAGIC)[0] - 1

# Budgets for turning a decoded value into plain data: a small pickle can reference the
# same list many times, so walking it naively could cost exponential time and memory.
_MAX_NODES = 20000
_MAX_DEPTH = 16
_MAX_STR_FROM_OBJECT = 2000
_MAX_KEYS = 1000
_MAX_KEY_LEN = 256



def check_no_pickle_extensions():
    """Raise if copyreg extension codes are registered in this process.

    Pickle's EXT opcodes resolve through copyreg's registry and cache, and a cached
    entry is returned without calling find_class. The log server never registers any,
    so every global reaches find_class; it calls this at start to keep that checked.
    """
    if copyreg._extension_cache or copyreg._inverted_registry:  # noqa: SLF001
        raise RuntimeError("copyreg extension codes are registered in this process; "
                           "the restricted unpickler cannot vouch for them")

POLICY_STRINGIFY = "stringify"
POLICY_REFUSE = "refuse"


class WireError(Exception):
    """A frame or stream that is not a log record; the connection should be closed."""


class FrameTooLarge(WireError):
    def __init__(self, length, limit):
        super().__init__("frame of %d bytes exceeds the limit of %d bytes" % (length, limit))
        self.length = length
        self.limit = limit


class RecordRefused(Exception):
    """A well-framed record refused by policy; the connection stays usable."""


class RefusedGlobal(pickle.UnpicklingError):
    def __init__(self, module, name):
        super().__init__("pickle references global %s.%s: refused" % (module, name))
        self.qualified = "%s.%s" % (module, name)


class SafeUnpickler(pickle.Unpickler):
    """Unpickler that refuses every global, so only built-in plain values come out."""

    def find_class(self, module, name):
        raise RefusedGlobal(module, name)

    def persistent_load(self, pid):
        raise pickle.UnpicklingError("persistent ids are refused")


class _Inert:
    """Stand-in for a class named by a pickle; remembers the name and the arguments only.

    Every hook the pickle machine may call on it (construction, __setstate__) is ours and
    only stores data, so decoding with it cannot run anything the sender chose.
    """

    _lf_name = "?"

    def __new__(cls, *args, **kwargs):
        self = object.__new__(cls)
        self.__dict__["_lf_args"] = args
        return self

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        self.__dict__["_lf_state"] = state

    def __reduce__(self):  # never re-pickled with real semantics
        raise TypeError("inert placeholder")


class InertUnpickler(pickle.Unpickler):
    """Unpickler that answers every global with an inert placeholder class of our own."""

    _MAX_GLOBALS = 64

    def __init__(self, file):
        super().__init__(file)
        self._classes = {}

    def find_class(self, module, name):
        if (module, name) == ("_codecs", "encode"):
            # Protocol 0/1 pickles spell bytes as _codecs.encode(text, "latin1"); this
            # is our own re-implementation of just that, so bytes stay bytes.
            return _latin1_encode
        key = "%s.%s" % (str(module)[:100], str(name)[:100])
        cls = self._classes.get(key)
        if cls is None:
            if len(self._classes) >= self._MAX_GLOBALS:
                raise pickle.UnpicklingError("too many globals in one frame")
            # type() only builds a new class object: no module is imported, no code runs.
            cls = type("Inert", (_Inert,), {"_lf_name": key})
            self._classes[key] = cls
        return cls

    def persistent_load(self, pid):
        raise pickle.UnpicklingError("persistent ids are refused")


def _latin1_encode(text, encoding="latin1", *rest):
    if not isinstance(text, str) or encoding not in ("latin1", "latin-1"):
        raise pickle.UnpicklingError("unexpected _codecs.encode call")
    return text.encode("latin1")


def _describe_datetime(name, args):
    """ISO text for a pickled datetime/date from its documented byte layout, or None."""
    if not args or type(args[0]) is not bytes:
        return None
    b = args[0]
    if name == "datetime.datetime" and len(b) == 10:
        return "%04d-%02d-%02dT%02d:%02d:%02d.%06d" % (
            b[0] * 256 + b[1], b[2] & 0x7F, b[3], b[4], b[5], b[6],
            (b[7] << 16) | (b[8] << 8) | b[9])
    if name == "datetime.date" and len(b) == 4:
        return "%04d-%02d-%02d" % (b[0] * 256 + b[1], b[2], b[3])
    return None


class FrameReader:
    """Incremental splitter of one connection's byte stream into frame payloads.

    ``feed`` returns the complete payloads found so far; the framing ("pickle" or
    "json") is fixed by the first 4 bytes of the connection.
    """

    __slots__ = ("max_frame", "mode", "acks", "_buf")

    def __init__(self, max_frame=DEFAULT_MAX_FRAME):
        if not 0 < max_frame <= MAX_FRAME_CEILING:
            raise ValueError("max_frame must be in 1..%d" % MAX_FRAME_CEILING)
        self.max_frame = max_frame
        self.mode = None
        self.acks = False  # the client asked for acknowledgements (sent a magic)
        self._buf = bytearray()

    def feed(self, data):
        buf = self._buf
        buf += data
        if self.mode is None:
            if len(buf) < 4:
                return []
            magic = bytes(buf[:4])
            if magic == JSON_MAGIC:
                self.mode, self.acks = "json", True
                del buf[:4]
            elif magic == PICKLE_MAGIC:
                self.mode, self.acks = "pickle", True
                del buf[:4]
            else:
                self.mode = "pickle"
        payloads = []
        pos = 0
        end = len(buf)
        limit = self.max_frame
        while end - pos >= 4:
            (length,) = HEADER.unpack_from(buf, pos)
            if length > limit:
                del buf[:pos]
                raise FrameTooLarge(length, limit)
            if end - pos - 4 < length:
                break
            payloads.append(bytes(buf[pos + 4:pos + 4 + length]))
            pos += 4 + length
        if pos:
            del buf[:pos]
        return payloads

    @property
    def pending(self):
        """Bytes of an incomplete frame (non-zero at EOF means a truncated frame)."""
        return len(self._buf)


class DecodeResult:
    __slots__ = ("fields", "stringified", "dropped_keys", "globals_seen")

    def __init__(self, fields, stringified, dropped_keys, globals_seen):
        self.fields = fields
        self.stringified = stringified
        self.dropped_keys = dropped_keys
        self.globals_seen = globals_seen


def decode_payload(payload, mode, policy=POLICY_STRINGIFY):
    """Decode one frame payload into a plain dict fit for ``logging.makeLogRecord``.

    Raises ``WireError`` for something that is not a record at all, ``RecordRefused``
    for a record refused by ``policy``.
    """
    globals_seen = []
    if mode == "json":
        try:
            obj = json.loads(payload.decode("utf-8"))
        except (ValueError, RecursionError) as exc:
            raise WireError("invalid JSON frame: %s" % _short(exc))
    else:
        try:
            obj = SafeUnpickler(io.BytesIO(payload)).load()
        except RefusedGlobal as exc:
            if policy != POLICY_STRINGIFY:
                raise RecordRefused(str(exc))
            globals_seen.append(exc.qualified)
            try:
                obj = InertUnpickler(io.BytesIO(payload)).load()
            except Exception as exc2:  # any malformed pickle: not a record
                raise WireError("invalid pickle frame: %s" % _short(exc2))
        except Exception as exc:  # malformed pickles raise many different types
            raise WireError("invalid pickle frame: %s" % _short(exc))
    if not isinstance(obj, dict):
        raise WireError("frame is a %s, not a record dict" % _type_name(obj))
    fields, stringified, dropped = sanitize_record_dict(obj)
    return DecodeResult(fields, stringified, dropped, globals_seen)


# Attributes of LogRecord that are methods: a key with such a name in a record dict
# would shadow the method on the instance and break every formatter.
_RECORD_METHODS = frozenset(
    n for n in dir(logging.LogRecord) if callable(getattr(logging.LogRecord, n, None))
)
_PLAIN_SCALARS = (str, int, float, bool, type(None), bytes)
_STR_FIELDS = ("name", "levelname")
# None is what the stdlib itself puts in these in some cases (taskName outside asyncio).
_OPT_STR_FIELDS = ("pathname", "filename", "module", "funcName", "threadName",
                   "processName", "taskName", "exc_text", "stack_info")
_INT_FIELDS = ("levelno", "lineno")
_OPT_INT_FIELDS = ("thread", "process")
_FLOAT_FIELDS = ("msecs", "relativeCreated")


def sanitize_record_dict(obj):
    """Return (fields, n_stringified, n_dropped_keys) with only plain data in fields."""
    if len(obj) > _MAX_KEYS:
        raise RecordRefused("record has %d keys (limit %d)" % (len(obj), _MAX_KEYS))
    budget = [_MAX_NODES]
    fields = {}
    stringified = 0
    dropped = 0
    for key, value in obj.items():
        if not isinstance(key, str) or len(key) > _MAX_KEY_LEN:
            raise RecordRefused("record key is not a short string")
        if key in _RECORD_METHODS or key.startswith("__"):
            dropped += 1
            continue
        if type(value) in (str, int, float, bool, type(None)):
            fields[key] = value
            continue
        plain = _plain(value, budget, 0)
        if plain is _NOT_PLAIN:
            fields[key] = describe(value)
            stringified += 1
        else:
            fields[key] = plain
    stringified += _coerce_standard_fields(fields)
    return fields, stringified, dropped


_NOT_PLAIN = object()


def _plain(value, budget, depth):
    """Copy of value if it is plain data within the budgets, else _NOT_PLAIN."""
    budget[0] -= 1
    if budget[0] < 0 or depth > _MAX_DEPTH:
        return _NOT_PLAIN
    t = type(value)
    if t in (str, int, float, bool, type(None), bytes):
        return value
    if t is list or t is tuple:
        out = []
        for item in value:
            p = _plain(item, budget, depth + 1)
            if p is _NOT_PLAIN:
                return _NOT_PLAIN
            out.append(p)
        return out if t is list else tuple(out)
    if t is dict:
        out = {}
        for k, v in value.items():
            if type(k) not in (str, int, float, bool, type(None)):
                return _NOT_PLAIN
            p = _plain(v, budget, depth + 1)
            if p is _NOT_PLAIN:
                return _NOT_PLAIN
            out[k] = p
        return out
    return _NOT_PLAIN


def describe(value, _depth=0):
    """A bounded, side-effect-free string for any decoded value (placeholders included)."""
    out = _describe(value, [400], _depth)
    if len(out) > _MAX_STR_FROM_OBJECT:
        out = out[:_MAX_STR_FROM_OBJECT] + "..."
    return out


def _describe(value, budget, depth):
    budget[0] -= 1
    if budget[0] < 0 or depth > 6:
        return "..."
    if isinstance(value, _Inert):
        args = value.__dict__.get("_lf_args", ())
        iso = _describe_datetime(type(value)._lf_name, args)
        if iso is not None:
            return iso
        inner = ", ".join(_describe(a, budget, depth + 1) for a in args[:8])
        return "%s(%s)" % (type(value)._lf_name, inner)
    t = type(value)
    if t in (str, bytes, bytearray, bool, type(None), float):
        r = repr(value)
        return r if len(r) <= 300 else r[:300] + "..."
    if t is int:
        return repr(value) if value.bit_length() < 1000 else "<int of %d bits>" % value.bit_length()
    if t in (list, tuple, set, frozenset):
        items = ", ".join(_describe(v, budget, depth + 1) for v in list(value)[:20])
        return {list: "[%s]", tuple: "(%s)", set: "{%s}", frozenset: "frozenset({%s})"}[t] % items
    if t is dict:
        items = ", ".join(
            "%s: %s" % (_describe(k, budget, depth + 1), _describe(v, budget, depth + 1))
            for k, v in list(value.items())[:20])
        return "{%s}" % items
    return "<%s>" % _type_name(value)


def _coerce_standard_fields(fields):
    """Give the standard LogRecord attributes the types formatters expect.

    Returns how many fields had to be replaced. The client already merged ``msg`` with
    ``args`` (stdlib SocketHandler does); a foreign client's args are merged here so the
    record never carries anything a formatter would call into.
    """
    changed = 0
    msg = fields.get("msg", "")
    args = fields.get("args")
    if args:
        try:
            if isinstance(args, (tuple, list)):
                msg = str(msg) % tuple(args)
            elif isinstance(args, dict):
                msg = str(msg) % args
            else:
                msg = "%s %s" % (msg, describe(args))
        except Exception:
            msg = "%s %s" % (msg, describe(args))
            changed += 1
    if not isinstance(msg, str):
        msg = describe(msg) if not isinstance(msg, (int, float)) else str(msg)
        changed += 1
    fields["msg"] = msg
    fields["args"] = None
    fields["exc_info"] = None  # a formatter would try to format a traceback from it
    fields.pop("message", None)
    for key in _STR_FIELDS:
        if key in fields and not isinstance(fields[key], str):
            fields[key] = describe(fields[key])
            changed += 1
    for key in _OPT_STR_FIELDS:
        if key in fields and fields[key] is not None and not isinstance(fields[key], str):
            fields[key] = describe(fields[key])
            changed += 1
    for key in _INT_FIELDS:
        if key in fields and (type(fields[key]) is not int or abs(fields[key]) > 1 << 62):
            fields[key] = 0
            changed += 1
    for key in _OPT_INT_FIELDS:
        v = fields.get(key)
        if v is not None and (type(v) is not int or abs(v) > 1 << 62):
            fields[key] = None
            changed += 1
    created = fields.get("created")
    if created is not None:
        # time.localtime() raises on absurd values; a formatter would then fail.
        if type(created) not in (int, float) or not math.isfinite(created) or \
                not 0 <= created < 1e11:
            fields["created"] = time.time()
            changed += 1
    for key in _FLOAT_FIELDS:
        v = fields.get(key)
        if v is not None and (type(v) not in (int, float) or not math.isfinite(v)):
            fields[key] = 0.0
            changed += 1
    if "levelno" in fields and "levelname" not in fields:
        fields["levelname"] = logging.getLevelName(fields["levelno"])
    return changed


def _type_name(obj):
    t = type(obj)
    if issubclass(t, _Inert):
        return t._lf_name
    return t.__name__


def _short(exc):
    text = "%s: %s" % (type(exc).__name__, exc)
    return text if len(text) <= 200 else text[:200] + "..."


# ---------------------------------------------------------------------------
# Encoding (client side)
# ---------------------------------------------------------------------------

def record_to_dict(record, format_exception=None):
    """The dict the stdlib SocketHandler would send: message merged, no exc_info."""
    if record.exc_info and not record.exc_text:
        fmt = format_exception or logging.Formatter().formatException
        record.exc_text = fmt(record.exc_info)
    d = dict(record.__dict__)
    d["msg"] = record.getMessage()
    d["args"] = None
    d["exc_info"] = None
    d.pop("message", None)
    return d


def encode_pickle_frame(fields):
    """Stdlib-compatible frame (protocol 1, as SocketHandler.makePickle uses)."""
    payload = pickle.dumps(fields, 1)
    return HEADER.pack(len(payload)) + payload


def encode_json_frame(fields):
    """logfunnel JSON frame; values JSON cannot express are sent as their str()."""
    payload = json.dumps(fields, default=_json_default, ensure_ascii=False, skipkeys=True,
                         separators=(",", ":")).encode("utf-8")
    return HEADER.pack(len(payload)) + payload


def _json_default(value):
    try:
        return str(value)
    except Exception:
        return "<%s>" % type(value).__name__
