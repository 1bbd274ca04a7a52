# deepspeed without --num_gpus starts one copy of this script per GPU of the machine, a count
# the workspace does not say: every rank appending to train.log is information (LF002).
import logging

import deepspeed


def main():
    deepspeed.init_distributed()
    logging.basicConfig(filename="train.log", level=logging.INFO)  # expect: LF002 information
    logging.info("ready")


if __name__ == "__main__":
    main()
