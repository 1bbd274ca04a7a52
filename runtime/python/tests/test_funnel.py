"""funnel(factory): any handler, instantiated only in the writer process."""

import functools
import logging
import multiprocessing

import pytest

import _funnel_target
import _support as s
import logfunnel


def _configure(path):
    logger = logging.getLogger("lffunnel")
    for h in list(logger.handlers):
        logger.removeHandler(h)
    handler = logfunnel.funnel(functools.partial(_funnel_target.make_handler, path), key="test:" + path)
    handler.addFilter(lambda record: not record.getMessage().startswith("drop"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def _work(path, tag, count):
    logger = _configure(path)
    for seq in range(count):
        logger.info("P%s %06d %s", tag, seq, s.PAD)
        logger.info("drop this one (filtered in the producer)")
    try:
        raise ValueError("boom %s" % tag)
    except ValueError:
        logger.exception("P%s %06d %s", tag, count, s.PAD)


def test_funnel_any_handler_from_spawned_processes(tmp_path):
    path = str(tmp_path / "funnel.log")
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_work, args=(path, str(i), 500)) for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
        assert p.exitcode == 0
    with open(path, "rb") as f:
        text = f.read()
    # Tracebacks were rendered in the producer and travel with the record.
    assert text.count(b"ValueError: boom") == 3
    lines = [l + b"\n" for l in text.split(b"\n") if l.startswith(b"P")]
    records = []
    for line in lines:
        m = s.LINE.match(line)
        assert m, line
        records.append((m.group(1).decode(), int(m.group(2))))
    for tag in "012":
        assert [q for t, q in records if t == tag] == list(range(501))
    assert b"drop this one" not in text
    with open(path + ".instances") as f:
        creators = f.read().split()
    # One writer at a time creates the real handler; handovers between the
    # three processes may create it again, never more than once per process.
    assert 1 <= len(creators) <= 3 and len(set(creators)) == len(creators)


def test_funnel_needs_a_key_for_a_lambda():
    with pytest.raises(ValueError):
        logfunnel.funnel(lambda: logging.NullHandler())
    assert logfunnel.funnel(_funnel_target.make_handler) is not None
