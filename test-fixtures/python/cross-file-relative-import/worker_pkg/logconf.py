# Builds the shared FileHandler; imported relatively by the worker module.
import logging


def file_logger(name):
    logger = logging.getLogger(name)
    logger.addHandler(logging.FileHandler('logs/relative.log'))  # expect: LF002 warning
    logger.setLevel(logging.INFO)
    return logger
