# Child entry point; reaches the handler through relative imports (`from . import` and `from .logconf import`).
from . import logconf
from .logconf import file_logger


def consume(queue_no):
    log = file_logger(f'consumer.{queue_no}')
    for i in range(200):
        log.info('queue %d message %d', queue_no, i)
    assert logconf.file_logger is file_logger
