import argparse
import logging
import logging.handlers
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--queue", default="default")
    args = parser.parse_args()
    handler = logging.handlers.RotatingFileHandler(  # expect: LF001 warning
        f"logs/worker-{args.queue}.log", maxBytes=10_000_000, backupCount=5
    )
    log = logging.getLogger("worker")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    while True:
        log.info("polling %s", args.queue)
        time.sleep(2)


if __name__ == "__main__":
    main()
