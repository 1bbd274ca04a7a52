# The YAML file comes from a parameter's default, and the setup runs under the main guard: each of the 3 replicas (a shared volume) rotates the same file (LF001 on logging.yaml).
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
