# `from logging import handlers` then handlers.TimedRotatingFileHandler in a ProcessPoolExecutor initializer (from concurrent import futures): LF001.
import logging
import os
from concurrent import futures
from logging import handlers


def install_handler():
    root = logging.getLogger()
    root.addHandler(handlers.TimedRotatingFileHandler('logs/timed.log', when='H', backupCount=24))  # expect: LF001 warning
    root.setLevel(logging.INFO)


def ping(host):
    logging.info('pinged host %d', host)
    return host


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with futures.ProcessPoolExecutor(max_workers=2, initializer=install_handler) as ex:  # related: LF001
        list(ex.map(ping, range(200)))
