import logging
import multiprocessing as mp
from logging.handlers import RotatingFileHandler

if mp.current_process().name == "MainProcess":
    logging.getLogger().addHandler(RotatingFileHandler("app.log", maxBytes=1000, backupCount=2))  # expect: LF001 warning


def work(x):
    logging.info("x=%s", x)


if __name__ == "__main__":
    with mp.Pool(4) as pool:  # related: LF001
        pool.map(work, range(10))
