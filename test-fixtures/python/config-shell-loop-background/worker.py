import logging
import time

logging.basicConfig(filename="logs/worker.log", level=logging.INFO)  # expect: LF002 warning


def main():
    while True:
        logging.info("tick")
        time.sleep(1)


if __name__ == "__main__":
    main()
