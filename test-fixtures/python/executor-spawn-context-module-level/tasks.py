# Task module with its RotatingFileHandler at import time: the parent imports it, and under spawn every worker re-imports it and opens the file again.
import logging
import os
from logging.handlers import RotatingFileHandler

os.makedirs('logs', exist_ok=True)
log = logging.getLogger('tasks')
log.setLevel(logging.INFO)
log.addHandler(RotatingFileHandler('logs/tasks.log', maxBytes=8192, backupCount=40))  # expect: LF001 warning


def tokenize(line_no):
    words = f'line {line_no} has some words in it'.split()
    log.info('line %d -> %d tokens', line_no, len(words))
    return len(words)
