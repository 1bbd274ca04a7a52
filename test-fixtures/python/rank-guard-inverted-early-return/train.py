import argparse
import logging
import os

rank = int(os.environ.get("RANK", "0"))
world_size = int(os.environ.get("WORLD_SIZE", "1"))


def setup_logging():
    if rank == 0:  # related: LF002
        # rank 0 reports progress on the console; the other ranks keep a worker log
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
        return
    logging.basicConfig(filename="workers.log", level=logging.INFO,  # expect: LF002 warning
                        format="%(asctime)s rank %(process)d %(message)s")


def train(epochs):
    for epoch in range(epochs):
        logging.info("rank %d/%d epoch %d", rank, world_size, epoch)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    setup_logging()
    train(args.epochs)
