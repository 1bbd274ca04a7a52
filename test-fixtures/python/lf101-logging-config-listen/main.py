# logging.config.listen() accepts logging configurations from the network and applies them (a config can name any importable callable): a log receiver that trusts its socket (LF101).
import logging
import logging.config
import os
import time

os.makedirs('logs', exist_ok=True)
logging.basicConfig(filename='logs/service.log', level=logging.INFO, format='%(levelname)s %(message)s')


def main():
    # Lets operators change log levels at run time without a restart.
    listener = logging.config.listen(0)  # expect: LF101 error
    listener.start()
    try:
        for i in range(200):
            logging.info('request %d served', i)
        time.sleep(0.1)
    finally:
        logging.config.stopListening()
        listener.join()


if __name__ == '__main__':
    main()
