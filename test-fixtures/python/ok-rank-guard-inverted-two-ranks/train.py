import logging
import multiprocessing as mp
from logging.handlers import RotatingFileHandler


def setup_logging(rank):
    if rank == 0:
        # rank 0 only prints; the evaluation rank keeps a file
        logging.basicConfig(level=logging.INFO)
        return
    handler = RotatingFileHandler("eval.log", maxBytes=5_000_000, backupCount=2)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)


def run(rank):
    setup_logging(rank)
    logging.info("rank %d ready", rank)


if __name__ == "__main__":
    procs = [mp.Process(target=run, args=(r,)) for r in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
