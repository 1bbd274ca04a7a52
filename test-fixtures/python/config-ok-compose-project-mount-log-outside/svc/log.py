import logging


def setup(name):
    logging.basicConfig(
        filename="/tmp/svc.log",
        level=logging.INFO,
        format=f"%(asctime)s {name} %(message)s",
    )
