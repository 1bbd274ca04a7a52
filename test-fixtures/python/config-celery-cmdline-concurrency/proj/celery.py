import logging
from logging.handlers import RotatingFileHandler

from celery import Celery

app = Celery("proj", broker="redis://localhost:6379/0")
task_log = logging.getLogger("proj.tasks")
task_log.addHandler(RotatingFileHandler("logs/tasks.log", maxBytes=1_000_000, backupCount=3))  # expect: LF001 warning


@app.task
def add(x, y):
    task_log.info("add %s %s", x, y)
    return x + y
