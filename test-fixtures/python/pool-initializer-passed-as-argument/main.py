# The pool's initializer comes in as a parameter of a helper in another module.
import logging
import os

from pipeline import run_pool


def init_logging():
    handler = logging.FileHandler("logs/pipeline.log")  # expect: LF002 warning
    handler.setFormatter(logging.Formatter("%(process)d %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)


def square(x):
    logging.info("squared %d", x)
    return x * x


if __name__ == "__main__":
    os.makedirs("logs", exist_ok=True)
    print(sum(run_pool(init_logging, square, range(400))))
