# Seed 004 daemon: restart() re-execs the interpreter while the feature processes it started keep running, so after a restart every feature log has two writers (LF104).
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
        child = multiprocessing.Process(target=run_feature, args=(name,), name=name)  # related: LF104
        child.start()
        children.append(child)
    return children


def config_logger():
    logger = logging.getLogger('daemon')
    logger.setLevel(logging.INFO)
    logger.addHandler(RotatingFileHandler('logs/daemon.log', maxBytes=64 * 1024, backupCount=2))
    return logger


def restart():
    python = sys.executable
    os.execl(python, python, *sys.argv)  # expect: LF104 warning


def main():
    os.makedirs('logs', exist_ok=True)
    children = start_features()
    logger = config_logger()
    logger.info('daemon %d up with %d features', os.getpid(), len(children))
    if not os.environ.get('BEEP_RESTARTED'):
        # A "reload your settings" message arrived from the broker.
        logger.info('reload requested: restarting')
        os.environ['BEEP_RESTARTED'] = '1'  # adapted: keeps the fixture from restarting forever
        restart()
    for child in children:
        child.join()


if __name__ == '__main__':
    main()
