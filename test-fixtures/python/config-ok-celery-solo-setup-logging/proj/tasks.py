import logging

from proj.celery import app

log = logging.getLogger(__name__)


@app.task
def resize(image_id):
    log.info('resizing %s', image_id)
