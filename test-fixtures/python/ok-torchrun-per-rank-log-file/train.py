# python -m torch.distributed.launch starts 4 ranks, and each opens logs/train-<rank>.log: a
# file per process, nothing to report.
import logging
import os

import torch.distributed as dist


def setup_logging(rank: int) -> logging.Logger:
    logger = logging.getLogger("train")
    logger.setLevel(logging.DEBUG)
    handler = logging.FileHandler(f"logs/train-{rank}.log")
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger.addHandler(handler)
    return logger


def main():
    rank = int(os.environ["RANK"])
    log = setup_logging(rank)
    dist.init_process_group("nccl")
    log.info("initialised")


if __name__ == "__main__":
    main()
