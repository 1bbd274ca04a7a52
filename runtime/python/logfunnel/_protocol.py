"""Wire format between producers and the writer.

A frame is one batch of already-encoded records from one producer::

    header  (magic, kind, producer id, sequence number, record count, payload length)
    payload = record lengths (native uint32 each) + concatenated record bytes

The writer answers every frame with an ACK carrying its sequence number, and
only after the bytes are written.  A producer keeps a frame until it is acked
and resends it to whichever writer it finds next, so a writer that disappears
never loses a frame; sequence numbers let a writer drop a frame it already
wrote for that producer.
"""

import struct
from array import array

MAGIC = b"LFN1"
ACK_MAGIC = b"LFA1"
KIND_BYTES = 1  # formatted, encoded lines for a file handler
KIND_RECORDS = 2  # JSON-encoded LogRecord dicts for funnel(factory)
HEADER = struct.Struct("=4sBxxxQQII")
ACK = struct.Struct("=4sQ")
MAX_PAYLOAD = 64 * 1024 * 1024
_ITEM = array("I").itemsize


class ProtocolError(Exception):
    pass


def encode_header(kind, producer_id, seq, nrec, payload_len):
    return HEADER.pack(MAGIC, kind, producer_id, seq, nrec, payload_len)


def encode_ack(seq):
    return ACK.pack(ACK_MAGIC, seq)


def decode_ack(raw):
    magic, seq = ACK.unpack(raw)
    if magic != ACK_MAGIC:
        raise ProtocolError("bad ack")
    return seq


def take_frame(buf):
    """Remove one complete frame from the front of ``buf`` (a bytearray).

    Returns ``(kind, producer_id, seq, lengths, data)`` or None if incomplete.
    Raises ProtocolError for anything that is not a well-formed frame, so a
    hostile or confused peer is disconnected instead of written to disk.
    """
    if len(buf) < HEADER.size:
        return None
    magic, kind, producer_id, seq, nrec, payload_len = HEADER.unpack_from(buf)
    if magic != MAGIC:
        raise ProtocolError("bad magic")
    if kind not in (KIND_BYTES, KIND_RECORDS):
        raise ProtocolError("unknown kind")
    if payload_len > MAX_PAYLOAD or nrec * _ITEM > payload_len:
        raise ProtocolError("bad sizes")
    end = HEADER.size + payload_len
    if len(buf) < end:
        return None
    payload = memoryview(bytes(buf[HEADER.size:end]))
    del buf[:end]
    split = nrec * _ITEM
    lengths = payload[:split].cast("I")
    data = payload[split:]
    if sum(lengths) != len(data):
        raise ProtocolError("lengths do not match payload")
    return kind, producer_id, seq, lengths, data
