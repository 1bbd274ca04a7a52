# `import logging.handlers as lh` + `import multiprocessing as mp`: lh.RotatingFileHandler built in the task of 3 workers on one path is still LF001.
import logging
import logging.handlers as lh
import multiprocessing as mp
import os


def get_log():
    log = logging.getLogger('alias')
    if not log.handlers:
        log.addHandler(lh.RotatingFileHandler('logs/alias.log', maxBytes=1 << 16, backupCount=10))  # expect: LF001 warning
        log.setLevel(logging.INFO)
    return log


def step(n):
    get_log().info('step %d', n)
    return n


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with mp.Pool(3) as pool:
        for _ in pool.imap(step, range(300)):  # related: LF001
            pass
