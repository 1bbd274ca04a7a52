import logging.config
import queue

log_queue = queue.Queue()

LOGGING = {
    "version": 1,
    "handlers": {
        "to_queue": {"class": "logging.handlers.QueueHandler", "queue": log_queue},
        "stderr": {"class": "logging.StreamHandler"},
    },
    "loggers": {
        "worker": {"handlers": ["to_queue"], "propagate": False},
        "worker.jobs": {"handlers": ["stderr"]},
    },
    "root": {"handlers": ["to_queue"]},
}

logging.config.dictConfig(LOGGING)
