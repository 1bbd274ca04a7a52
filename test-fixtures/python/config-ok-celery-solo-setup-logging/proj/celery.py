# Near miss: the setup_logging receiver builds a rotating handler, but the Procfile runs the worker with --pool solo: one process.
import logging.config

from celery import Celery
from celery.signals import setup_logging

app = Celery('proj', broker='redis://localhost:6379/0', include=['proj.tasks'])


@setup_logging.connect
def configure_logging(**kwargs):
    logging.config.dictConfig({
        'version': 1,
        'handlers': {
            'file': {
                'class': 'logging.handlers.RotatingFileHandler',
                'filename': '/var/log/proj/celery.log',
                'maxBytes': 20_000_000,
                'backupCount': 5,
            },
        },
        'root': {'handlers': ['file'], 'level': 'INFO'},
    })
