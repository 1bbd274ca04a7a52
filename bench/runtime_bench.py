#!/usr/bin/env python3
"""npm run bench:runtime -- 4 processes x 20,000 records into one log file with
1 MB rotation, side by side: logfunnel (every handler kind) and its peers.

Each approach runs in a fresh interpreter (``--run NAME --dir D``), which
times the workload end to end: from forking the producers (handlers already
configured, as an application would have them) until every record is on disk.
The orchestrator then counts every record back from the file set.

    python3 bench/runtime_bench.py [--json] [--procs 4] [--records 20000] [--only a,b]
"""

import argparse
import functools
import glob
import json
import logging
import logging.handlers
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.join(os.path.dirname(HERE), "runtime", "python")
sys.path.insert(0, RUNTIME)

MAX_BYTES = 1024 * 1024
BACKUPS = 500  # enough that nothing is deleted: every record can be counted
FORMAT = "%(asctime)s %(levelname)s %(process)d %(message)s"
PAYLOAD = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do"
RECORD = re.compile(rb"P(\d+) R(\d{6}) ")


# -- workloads (run inside the --run child) -----------------------------------

def _emit(proc, count):
    logger = logging.getLogger("bench")
    for seq in range(count):
        logger.info("P%d R%06d %s", proc, seq, PAYLOAD)


def _fork_producers(procs, count, target=_emit):
    ctx = multiprocessing.get_context("fork")
    children = [ctx.Process(target=target, args=(i, count)) for i in range(procs)]
    for child in children:
        child.start()
    for child in children:
        child.join()


def _use(handler):
    handler.setFormatter(logging.Formatter(FORMAT))
    logger = logging.getLogger("bench")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handler


def _timed_forked(handler, procs, count):
    _use(handler)
    start = time.perf_counter()
    _fork_producers(procs, count)
    handler.close()  # whatever is still buffered counts
    return time.perf_counter() - start


def run_logfunnel_rotating(path, procs, count):
    import logfunnel
    return _timed_forked(logfunnel.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS), procs, count)


def run_logfunnel_timed(path, procs, count):
    import logfunnel
    return _timed_forked(logfunnel.TimedRotatingFileHandler(path, when="midnight", backupCount=BACKUPS), procs, count)


def run_logfunnel_file(path, procs, count):
    import logfunnel
    return _timed_forked(logfunnel.FileHandler(path), procs, count)


def _real_rotating(path):
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS)
    handler.setFormatter(logging.Formatter(FORMAT))
    return handler


def run_logfunnel_funnel(path, procs, count):
    import logfunnel
    handler = logfunnel.funnel(functools.partial(_real_rotating, path), key="bench:" + path)
    logger = logging.getLogger("bench")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    start = time.perf_counter()
    _fork_producers(procs, count)
    handler.close()
    return time.perf_counter() - start


def run_stdlib_queue(path, procs, count):
    queue = multiprocessing.get_context("fork").Queue(-1)
    listener = logging.handlers.QueueListener(queue, _real_rotating(path))
    logger = logging.getLogger("bench")
    logger.addHandler(logging.handlers.QueueHandler(queue))
    logger.setLevel(logging.INFO)
    logger.propagate = False
    start = time.perf_counter()
    listener.start()
    _fork_producers(procs, count)
    listener.stop()
    return time.perf_counter() - start


def _loguru_emit(proc, count):
    from loguru import logger
    for seq in range(count):
        logger.info("P{} R{:06d} {}", proc, seq, PAYLOAD)


def run_loguru_enqueue(path, procs, count):
    from loguru import logger
    logger.remove()
    logger.add(path, rotation="1 MB", enqueue=True,
               format="{time:YYYY-MM-DD HH:mm:ss,SSS} {level} {process} {message}")
    start = time.perf_counter()
    _fork_producers(procs, count, target=_loguru_emit)
    logger.remove()  # drains the queue
    return time.perf_counter() - start


def run_concurrent_log_handler(path, procs, count):
    from concurrent_log_handler import ConcurrentRotatingFileHandler
    return _timed_forked(ConcurrentRotatingFileHandler(path, "a", MAX_BYTES, BACKUPS), procs, count)


def run_logfunnel_locking(path, procs, count):
    from logfunnel import LockingRotatingFileHandler
    return _timed_forked(LockingRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS), procs, count)


def run_naive_shared(path, procs, count):
    return _timed_forked(_real_rotating(path), procs, count)


def run_single_process(path, procs, count):
    handler = _use(_real_rotating(path))
    start = time.perf_counter()
    _emit(0, procs * count)
    handler.close()
    return time.perf_counter() - start


APPROACHES = [
    # (name, function, processes it uses, module it needs)
    ("logfunnel RotatingFileHandler", "logfunnel_rotating", None, "logfunnel"),
    ("logfunnel TimedRotatingFileHandler", "logfunnel_timed", None, "logfunnel"),
    ("logfunnel FileHandler", "logfunnel_file", None, "logfunnel"),
    ("logfunnel funnel(RotatingFileHandler)", "logfunnel_funnel", None, "logfunnel"),
    ("stdlib QueueHandler+QueueListener", "stdlib_queue", None, None),
    ("loguru enqueue=True", "loguru_enqueue", None, "loguru"),
    ("concurrent-log-handler", "concurrent_log_handler", None, "concurrent_log_handler"),
    ("logfunnel LockingRotatingFileHandler", "logfunnel_locking", None, "logfunnel.locking"),
    ("naive shared RotatingFileHandler", "naive_shared", None, None),
    ("single process RotatingFileHandler", "single_process", 1, None),
]


# -- orchestrator -------------------------------------------------------------

def _count(directory, procs, count):
    total = 0
    unique = set()
    for name in glob.glob(os.path.join(directory, "*")):
        with open(name, "rb") as f:
            for match in RECORD.finditer(f.read()):
                total += 1
                unique.add(match.groups())
    expected = procs * count
    if total == 0:
        return expected, 0
    return expected - len(unique), total - len(unique)


def _available(module):
    if module is None:
        return None
    try:
        __import__(module)
    except ImportError as exc:
        return "not installed (%s)" % exc
    return None


def _run_one(key, procs, count, repeat):
    best = None
    for _ in range(repeat):
        directory = tempfile.mkdtemp(prefix="lfbench-")
        try:
            out = subprocess.run(
                [sys.executable, os.path.abspath(__file__), "--run", key, "--dir", directory,
                 "--procs", str(procs), "--records", str(count)],
                check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=600,
            ).stdout
            seconds = json.loads(out.decode().strip().splitlines()[-1])["seconds"]
            lost, dup = _count(directory, procs, count)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        if best is None or seconds < best[0]:
            best = (seconds, lost, dup)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="one JSON object per row")
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--records", type=int, default=20000, help="records per process")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per approach")
    parser.add_argument("--only", help="comma-separated approach keys")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.run:
        seconds = globals()["run_" + args.run](os.path.join(args.dir, "bench.log"), args.procs, args.records)
        print(json.dumps({"seconds": seconds}))
        return

    only = set(args.only.split(",")) if args.only else None
    rows = []
    for name, key, fixed_procs, module in APPROACHES:
        if only and key not in only:
            continue
        reason = _available(module)
        if reason:
            print("skip %s: %s" % (name, reason), file=sys.stderr if args.json else sys.stdout)
            continue
        procs = fixed_procs or args.procs
        count = args.records * args.procs // procs
        seconds, lost, dup = _run_one(key, procs, count, args.repeat)
        row = {"approach": name, "procs": procs, "records": procs * count,
               "rec_per_s": round(procs * count / seconds), "lost": lost, "dup": dup}
        rows.append(row)
        if args.json:
            print(json.dumps(row), flush=True)
    if args.json:
        return
    _print_table(rows)


def _print_table(rows):
    by_name = {r["approach"]: r["rec_per_s"] for r in rows}
    peers = [("stdlib queue", "stdlib QueueHandler+QueueListener", 2.0),
             ("loguru", "loguru enqueue=True", 1.5),
             ("single", "single process RotatingFileHandler", 1.2)]
    header = "%-40s %5s %8s %10s %7s %5s" % ("approach", "procs", "records", "rec/s", "lost", "dup")
    header += "".join(" %14s" % ("vs " + label) for label, _, _ in peers)
    print(header)
    print("-" * len(header))
    for r in rows:
        line = "%-40s %5d %8d %10d %7d %5d" % (r["approach"], r["procs"], r["records"], r["rec_per_s"], r["lost"], r["dup"])
        for _, peer, _goal in peers:
            base = by_name.get(peer)
            line += " %14s" % ("%.2fx" % (r["rec_per_s"] / base) if base else "-")
        print(line)
    print()
    funnel = by_name.get("logfunnel RotatingFileHandler")
    if funnel:
        for label, peer, goal in peers:
            base = by_name.get(peer)
            if base:
                ratio = funnel / base
                print("goal logfunnel RotatingFileHandler >= %.1fx %s: %.2fx %s"
                      % (goal, label, ratio, "met" if ratio >= goal else "NOT met"))


if __name__ == "__main__":
    main()
