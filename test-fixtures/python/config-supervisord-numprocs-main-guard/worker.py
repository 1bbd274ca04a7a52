# supervisord runs 3 copies of this script: the basicConfig inside main(), called under the main guard, runs in each of them (LF002).
import logging
import time


def main():
    logging.basicConfig(filename='/var/log/app/worker.log', level=logging.INFO)  # expect: LF002 warning
    while True:
        logging.info('tick')
        time.sleep(10)


if __name__ == '__main__':
    main()
