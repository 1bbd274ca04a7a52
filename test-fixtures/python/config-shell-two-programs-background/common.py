import logging


def setup(name):
    logging.basicConfig(  # expect: LF002 warning
        filename="pipeline.log",
        format="%(asctime)s %(process)d %(message)s",
        level=logging.INFO,
    )
    return logging.getLogger(name)
