import logging
import multiprocessing as mp
from logging.handlers import RotatingFileHandler

if mp.current_process().name == "MainProcess":
    logging.getLogger().addHandler(RotatingFileHandler("app.log", maxBytes=1000, backupCount=2))


def work(x):
    logging.info("x=%s", x)


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Pool(4) as pool:
        pool.map(work, range(10))
