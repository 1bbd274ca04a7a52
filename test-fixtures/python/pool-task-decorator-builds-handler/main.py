# The task is wrapped by a decorator whose wrapper adds the handler on first use.
import functools
import logging
import os
from multiprocessing import Pool
from logging.handlers import RotatingFileHandler


def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        log = logging.getLogger("tasks")
        if not log.handlers:
            log.addHandler(RotatingFileHandler("logs/tasks.log", maxBytes=4000, backupCount=50))  # expect: LF001 warning
            log.setLevel(logging.INFO)
        log.info("%s%r", fn.__name__, args)
        return fn(*args)
    return wrapper


@logged
def double(x):
    return x * 2


if __name__ == "__main__":
    os.makedirs("logs", exist_ok=True)
    with Pool(4) as pool:  # related: LF001
        print(sum(pool.map(double, range(300))))
