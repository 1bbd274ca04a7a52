# accelerate launch runs 2 copies of this script (num_processes: 2 in accelerate.yaml), and
# every rank opens the same rotating file (LF001).
import logging
from logging.handlers import RotatingFileHandler

from accelerate import Accelerator


def main():
    accelerator = Accelerator()
    handler = RotatingFileHandler("train.log", maxBytes=10_000_000, backupCount=5)  # expect: LF001 warning
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    logging.info("process %d of %d", accelerator.process_index, accelerator.num_processes)


if __name__ == "__main__":
    main()
