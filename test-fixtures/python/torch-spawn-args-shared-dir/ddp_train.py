import logging
import os

import torch.distributed as dist
import torch.multiprocessing as mp


def setup_logging(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    logging.basicConfig(  # expect: LF002 warning
        filename=os.path.join(out_dir, "train.log"),
        level=logging.INFO,
        format="%(asctime)s %(message)s",
    )


def run(rank, world_size, out_dir):
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = "29501"
    dist.init_process_group("gloo", rank=rank, world_size=world_size)
    setup_logging(out_dir)
    logging.getLogger(__name__).info("rank %d ready", rank)
    dist.destroy_process_group()


if __name__ == "__main__":
    mp.spawn(run, args=(2, "runs/exp1"), nprocs=2)  # related: LF002
