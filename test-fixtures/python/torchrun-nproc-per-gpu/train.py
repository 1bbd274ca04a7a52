# torchrun --nproc-per-node gpu: one copy per GPU, a count the workspace does not say, so every
# rank appending to train.log is information (LF002).
import logging
import os

import torch.distributed as dist


def main():
    dist.init_process_group("nccl")
    logging.basicConfig(filename="train.log", level=logging.INFO)  # expect: LF002 information
    logging.info("rank %s ready", os.environ["RANK"])


if __name__ == "__main__":
    main()
