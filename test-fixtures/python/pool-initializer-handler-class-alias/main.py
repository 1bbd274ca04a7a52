import logging
import logging.handlers
from multiprocessing import Pool

RFH = logging.handlers.RotatingFileHandler


def init():
    logging.getLogger().addHandler(RFH("app.log", maxBytes=1000, backupCount=3))  # expect: LF001 warning


def work(x):
    logging.info("x %s", x)


if __name__ == "__main__":
    with Pool(3, initializer=init) as p:  # related: LF001
        p.map(work, range(10))
