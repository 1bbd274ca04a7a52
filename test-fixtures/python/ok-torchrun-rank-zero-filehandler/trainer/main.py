# python -m torch.distributed.run starts 8 ranks of trainer.main (Dockerfile), and only rank 0
# opens logs/train.log: one writer, nothing to report.
import logging
import os


def setup_logging(rank):
    if rank == 0:
        logging.getLogger().addHandler(logging.FileHandler("logs/train.log"))
    logging.getLogger().setLevel(logging.INFO)


def main():
    rank = int(os.environ["RANK"])
    setup_logging(rank)
    logging.info("step")


if __name__ == "__main__":
    main()
