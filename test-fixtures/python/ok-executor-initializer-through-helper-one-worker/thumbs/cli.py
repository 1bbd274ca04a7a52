import logging
import os
import sys

from thumbs.parallel import run_parallel

log = logging.getLogger("thumbs")


def setup_logging():
    handler = logging.FileHandler("logs/thumbs.log")
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def make_thumbnail(path):
    log.info("thumbnail for %s", path)
    return path + ".thumb"


def main(argv):
    os.makedirs("logs", exist_ok=True)
    # One worker: the only process that runs setup_logging and writes logs/thumbs.log.
    thumbs = run_parallel(make_thumbnail, argv or ["a.png", "b.png"], initializer=setup_logging, workers=1)
    print(len(thumbs), "thumbnails")


if __name__ == "__main__":
    main(sys.argv[1:])
