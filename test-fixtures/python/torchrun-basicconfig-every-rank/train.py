# torchrun starts 4 copies of this script on the machine (run.sh), and every rank appends to
# train.log (LF002).
import logging
import os

import torch.distributed as dist


def main():
    dist.init_process_group("nccl")
    logging.basicConfig(filename="train.log", level=logging.INFO)  # expect: LF002 warning
    logging.info("rank %s ready", os.environ["RANK"])


if __name__ == "__main__":
    main()
