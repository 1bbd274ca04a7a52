"""A custom handler for the funnel(factory) test: it records which process
created it, so the test can tell that only one did."""

import logging
import os

CREATED_IN = []


class TaggingFileHandler(logging.FileHandler):
    def __init__(self, path):
        logging.FileHandler.__init__(self, path)
        self.setFormatter(logging.Formatter("%(message)s"))
        with open(path + ".instances", "a") as f:
            f.write("%d\n" % os.getpid())


def make_handler(path):
    return TaggingFileHandler(path)
