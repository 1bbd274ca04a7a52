import logging
from concurrent.futures import ProcessPoolExecutor
from logging.handlers import TimedRotatingFileHandler

log = logging.getLogger("jobs")
log.addHandler(TimedRotatingFileHandler("jobs.log", when="midnight"))


def job(n):
    log.warning("job %d", n)
    return n


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as pool:
        print(list(pool.map(job, range(10))))
