# Seed 004 reproduction: 5 processes each call config_logger() and rotate beep.log under each other (LF001); on Linux the backups end up holding the newest records.
import logging
import multiprocessing
import os
import time
from logging.handlers import RotatingFileHandler

RECORDS_PER_PROCESS = 200


def config_logger():
    logger = logging.getLogger('beep')
    logger.setLevel(logging.INFO)
    # Adapted: 8 KiB instead of 100 KiB so one short run rolls over several times.
    handler = RotatingFileHandler('logs/beep.log',  # expect: LF001 warning
                                  maxBytes=8 * 1024,
                                  backupCount=20,
                                  delay=True)
    handler.setFormatter(logging.Formatter('%(asctime)s %(levelname)s %(message)s'))
    logger.addHandler(handler)
    return logger


def log_forever():
    logger = config_logger()
    # Adapted: the seed loops forever; a fixture must end.
    for _ in range(RECORDS_PER_PROCESS):
        logger.info(f'Beep from {os.getpid()}')
        time.sleep(0.001)


def do_multiprocess_log():
    process = [multiprocessing.Process(target=log_forever) for _ in range(5)]  # related: LF001
    for p in process:
        p.start()

    for p in process:
        p.join()


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    do_multiprocess_log()
