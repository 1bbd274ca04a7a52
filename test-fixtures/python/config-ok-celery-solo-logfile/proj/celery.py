# Near miss: celery's own --logfile with a solo pool: one process opens and writes it (the pool runs tasks in the main process).
from celery import Celery

app = Celery('proj', broker='redis://localhost:6379/0')


@app.task
def add(x, y):
    return x + y
