import logging

from app import audit as _audit  # noqa: F401  (the web side records who started a run)

log = logging.getLogger("audit.tasks")


def resize(name):
    log.info("resized %s", name)
    return name
