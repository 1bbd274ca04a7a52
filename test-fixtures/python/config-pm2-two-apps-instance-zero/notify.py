import argparse
import logging
import os
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--channel", required=True)
    args = ap.parse_args()
    os.makedirs("logs", exist_ok=True)
    # One file per PM2 instance... but both apps have only an instance 0.
    logging.basicConfig(filename=f"logs/notify-{os.environ['NODE_APP_INSTANCE']}.log", level=logging.INFO,  # expect: LF002 warning
                        format="%(asctime)s %(message)s")
    while True:
        logging.info("%s: sent", args.channel)
        time.sleep(3)


if __name__ == "__main__":
    main()
