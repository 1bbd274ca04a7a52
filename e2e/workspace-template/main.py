import logging
import logging.handlers
import multiprocessing

logger = logging.getLogger("app")
handler = logging.handlers.RotatingFileHandler("app.log", maxBytes=1_000_000)
handler.setFormatter(logging.Formatter("%(process)d %(message)s"))
logger.addHandler(handler)
logger.setLevel(logging.INFO)


def work(item):
    logger.info("processing %s", item)
    return item * 2


if __name__ == "__main__":
    with multiprocessing.Pool(4) as pool:
        print(sum(pool.map(work, range(100))))
