# Near miss: 3 replicas without any volume are 3 containers, each rotating a file of its own filesystem.
import logging
import logging.config
import time

import yaml


def configure_logging(path='logging.yaml'):
    with open(path) as fh:
        logging.config.dictConfig(yaml.safe_load(fh))


def main():
    configure_logging()
    log = logging.getLogger('ingest')
    while True:
        log.info('polling queue')
        time.sleep(1)


if __name__ == '__main__':
    main()
