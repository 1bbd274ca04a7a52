# dev.sh starts api.py and worker.py together, each with its own LOG_FILE, over the default in
# the code: two files, nothing to report.
import logging
import os


def init(name):
    logging.basicConfig(
        filename=os.environ.get("LOG_FILE", f"{name}.log"),
        level=logging.INFO,
    )
    return logging.getLogger(name)
