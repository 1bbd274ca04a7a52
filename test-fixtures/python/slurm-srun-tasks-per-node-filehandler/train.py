# SLURM starts 4 tasks of this script on the node (srun --ntasks-per-node=4 in job.sbatch), and
# every task appends to train.log (LF002).
import logging
import os

import torch.distributed as dist


def main():
    dist.init_process_group("nccl", rank=int(os.environ["SLURM_PROCID"]), world_size=int(os.environ["SLURM_NTASKS"]))
    logging.getLogger().addHandler(logging.FileHandler("train.log"))  # expect: LF002 warning
    logging.info("task ready")


if __name__ == "__main__":
    main()
