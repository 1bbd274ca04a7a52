# torchrun starts 8 ranks (launch.sh), but only LOCAL_RANK 0 builds the rotating handler,
# testing the launcher variable inline: one writer, nothing to report.
import logging
import logging.handlers
import os

import torch
import torch.distributed as dist

logger = logging.getLogger("trainer")


def setup_logging():
    logger.setLevel(logging.INFO)
    if int(os.environ["LOCAL_RANK"]) == 0:
        fh = logging.handlers.RotatingFileHandler("train.log", maxBytes=5_000_000, backupCount=2)
        fh.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(fh)
    else:
        logger.addHandler(logging.NullHandler())


def main():
    setup_logging()
    dist.init_process_group("nccl")
    logger.info("world size %d", dist.get_world_size())
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
