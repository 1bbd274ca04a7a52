import logging
import logging.handlers

from procs import start_all


def with_file_logging(fn):
    def wrapper(*args):
        log = logging.getLogger("shards")
        log.addHandler(logging.handlers.RotatingFileHandler("shards.log", maxBytes=1 << 20, backupCount=2))  # expect: LF001 warning
        log.setLevel(logging.INFO)
        return fn(*args)
    return wrapper


def run_shard(n):
    logging.getLogger("shards").info("shard %d up", n)


# The decorator written out: run_shard is now the wrapper.
run_shard = with_file_logging(run_shard)

if __name__ == "__main__":
    for p in start_all(run_shard, 3):  # related: LF001
        p.join()
