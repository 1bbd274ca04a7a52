# Seed 004 daemon, fixed (near-miss): restart() waits for the feature processes to end before re-exec, so each feature log keeps a single writer at a time.
import logging
import multiprocessing
import os
import sys
import time
from logging.handlers import RotatingFileHandler

FEATURES = ['mailer', 'reporter', 'watcher']
RECORDS_PER_FEATURE = 200


def run_feature(name):
    """A registered feature; each one writes its own log file."""
    logger = logging.getLogger(f'feature.{name}')
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(RotatingFileHandler(f'logs/feature-{name}.log', maxBytes=64 * 1024, backupCount=5))
    for i in range(RECORDS_PER_FEATURE):
        logger.info('%s tick %d from %d', name, i, os.getpid())
        time.sleep(0.002)


def start_features():
    children = []
    for name in FEATURES:
        child = multiprocessing.Process(target=run_feature, args=(name,), name=name)
        child.start()
        children.append(child)
    return children


def config_logger():
    logger = logging.getLogger('daemon')
    logger.setLevel(logging.INFO)
    logger.addHandler(RotatingFileHandler('logs/daemon.log', maxBytes=64 * 1024, backupCount=2))
    return logger


def restart(children):
    # The old image's children must be gone before the new image starts its own.
    for child in children:
        child.join()
    logging.shutdown()
    python = sys.executable
    os.execl(python, python, *sys.argv)


def main():
    os.makedirs('logs', exist_ok=True)
    children = start_features()
    logger = config_logger()
    logger.info('daemon %d up with %d features', os.getpid(), len(children))
    if not os.environ.get('BEEP_RESTARTED'):
        logger.info('reload requested: restarting')
        os.environ['BEEP_RESTARTED'] = '1'
        restart(children)
    for child in children:
        child.join()


if __name__ == '__main__':
    main()
