"""The wire decoder on its own: framing, the restricted unpickler, hostile payloads."""

import json
import logging
import logging.handlers
import os
import pickle
import random
import struct
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from logfunnel import _wire  # noqa: E402


def frame(payload):
    return struct.pack(">L", len(payload)) + payload


def stdlib_payload(msg="hello", **extra):
    record = logging.makeLogRecord({"name": "app", "msg": msg, "levelno": 20,
                                    "levelname": "INFO", **extra})
    handler = logging.handlers.SocketHandler("127.0.0.1", 1)
    try:
        data = handler.makePickle(record)
    finally:
        handler.close()
    return data[4:]


class RunsCommand:
    """Pickles to os.system(<command>): what a malicious client would send."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def test_frames_are_split_the_same_whatever_the_chunking():
    payloads = [stdlib_payload("m%d" % i) for i in range(5)]
    stream = b"".join(frame(p) for p in payloads)
    reader = _wire.FrameReader()
    got = []
    for i in range(len(stream)):  # one byte at a time: the slowest possible client
        got += reader.feed(stream[i:i + 1])
    assert got == payloads
    assert reader.mode == "pickle"
    assert reader.pending == 0


def test_json_magic_selects_json_framing():
    reader = _wire.FrameReader()
    body = json.dumps({"name": "a", "msg": "x", "levelno": 30}).encode()
    got = reader.feed(_wire.JSON_MAGIC + frame(body))
    assert reader.mode == "json"
    result = _wire.decode_payload(got[0], reader.mode)
    assert result.fields["msg"] == "x" and result.fields["levelname"] == "WARNING"


def test_four_gigabyte_length_prefix_is_refused_before_reading_the_body():
    reader = _wire.FrameReader(max_frame=1 << 20)
    with pytest.raises(_wire.FrameTooLarge) as info:
        reader.feed(b"\xff\xff\xff\xff" + b"x" * 10)
    assert info.value.length == 0xFFFFFFFF


def test_stdlib_record_decodes_to_plain_fields():
    result = _wire.decode_payload(stdlib_payload("hi %s", args=("there",)), "pickle")
    assert result.fields["msg"] == "hi there"
    assert result.fields["args"] is None and result.fields["exc_info"] is None
    assert result.stringified == 0 and result.globals_seen == []
    record = logging.makeLogRecord(result.fields)
    assert record.getMessage() == "hi there"


def test_pickle_that_would_run_a_command_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    evil = pickle.dumps(RunsCommand("touch %s" % marker))
    # As the whole frame, with either policy: not a record, and nothing executed.
    for policy in (_wire.POLICY_STRINGIFY, _wire.POLICY_REFUSE):
        with pytest.raises((_wire.WireError, _wire.RecordRefused)):
            _wire.decode_payload(evil, "pickle", policy)
    # Hidden in an extra of an otherwise normal record.
    nested = pickle.dumps({"name": "a", "msg": "m", "levelno": 20,
                           "payload": RunsCommand("touch %s" % marker)}, 1)
    with pytest.raises(_wire.RecordRefused):
        _wire.decode_payload(nested, "pickle", _wire.POLICY_REFUSE)
    result = _wire.decode_payload(nested, "pickle", _wire.POLICY_STRINGIFY)
    assert result.fields["payload"].startswith("posix.system(") or \
        result.fields["payload"].startswith("nt.system(")
    assert result.globals_seen
    assert not marker.exists()


def test_safe_unpickler_refuses_every_global():
    for obj in (len, os.getcwd, logging.LogRecord, object()):
        with pytest.raises(pickle.UnpicklingError):
            import io
            _wire.SafeUnpickler(io.BytesIO(pickle.dumps(obj))).load()


def test_object_valued_extras_become_strings():
    import datetime
    import decimal
    payload = pickle.dumps({"name": "a", "msg": "m", "levelno": 20,
                            "when": datetime.datetime(2024, 5, 6, 7, 8, 9, 10),
                            "amount": decimal.Decimal("1.50"), "ok": [1, "two", None]}, 1)
    fields = _wire.decode_payload(payload, "pickle").fields
    assert fields["when"] == "2024-05-06T07:08:09.000010"
    assert fields["amount"] == "decimal.Decimal('1.50')"
    assert fields["ok"] == [1, "two", None]


def test_keys_that_would_shadow_record_methods_are_dropped():
    payload = pickle.dumps({"name": "a", "msg": "m", "levelno": 20, "getMessage": "boom",
                            "__class__": "x"}, 1)
    result = _wire.decode_payload(payload, "pickle")
    assert "getMessage" not in result.fields and result.dropped_keys == 2
    assert logging.makeLogRecord(result.fields).getMessage() == "m"


def test_reference_bomb_is_bounded():
    # 40 levels of [x, x]: 2**40 leaves if walked naively, a few hundred bytes pickled.
    x = ["leaf"]
    for _ in range(40):
        x = [x, x]
    payload = pickle.dumps({"name": "a", "msg": "m", "bomb": x}, 4)
    fields = _wire.decode_payload(payload, "pickle").fields
    assert isinstance(fields["bomb"], str) and len(fields["bomb"]) <= 2003


def test_random_and_mutated_bytes_only_ever_raise_wire_errors():
    rng = random.Random(1234)
    good = stdlib_payload("seed message", extra_field=[1, 2, {"k": "v"}])
    for i in range(3000):
        if i % 2:
            data = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 200)))
        else:
            data = bytearray(good)
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.getrandbits(8)
            data = bytes(data)
        for mode in ("pickle", "json"):
            try:
                result = _wire.decode_payload(data, mode)
            except (_wire.WireError, _wire.RecordRefused):
                continue
            # Whatever got through is plain data a formatter can use.
            record = logging.makeLogRecord(result.fields)
            logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s").format(record)


def test_json_frame_round_trip_of_a_real_record():
    record = logging.LogRecord("svc", logging.ERROR, __file__, 7, "n=%d", (3,), None)
    record.custom = object()
    data = _wire.encode_json_frame(_wire.record_to_dict(record))
    (length,) = struct.unpack(">L", data[:4])
    fields = _wire.decode_payload(data[4:4 + length], "json").fields
    assert fields["msg"] == "n=3" and fields["levelno"] == logging.ERROR
    assert fields["custom"].startswith("<object object")
