import logging
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

log = logging.getLogger("train")


def is_main_process():
    return not dist.is_initialized() or dist.get_rank() == 0


def setup_file_logging(path="train.log"):
    handler = logging.FileHandler(path)  # expect: LF002 warning
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def worker(rank, world_size):
    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29500")
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    if True:
        setup_file_logging()
    model = torch.nn.Linear(8, 1)
    for epoch in range(3):
        loss = model(torch.randn(4, 8)).pow(2).mean()
        log.info("epoch %d loss %.4f", epoch, loss.item())
    dist.destroy_process_group()


if __name__ == "__main__":
    world = 4
    mp.spawn(worker, args=(world,), nprocs=world, join=True)  # related: LF002
