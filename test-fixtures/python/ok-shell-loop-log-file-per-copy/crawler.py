import logging
import os


def main():
    shard = int(os.environ["SHARD"])
    logging.basicConfig(
        filename=os.environ["LOG_FILE"],
        level=logging.INFO,
        format="%(asctime)s %(message)s",
    )
    for page in range(5):
        logging.info("shard %d fetched page %d", shard, page)


if __name__ == "__main__":
    main()
