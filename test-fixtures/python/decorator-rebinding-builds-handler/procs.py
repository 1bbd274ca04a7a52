"""Start one process per shard."""
import multiprocessing


def start_all(target, count):
    procs = []
    for n in range(count):
        p = multiprocessing.Process(target=target, args=(n,), name=f"shard-{n}")  # related: LF001
        p.start()
        procs.append(p)
    return procs
