# The Pool task function builds a RotatingFileHandler, so each of the 4 workers rotates app.log on its own: breaks under every start method (LF001).
import logging
import logging.handlers
import multiprocessing
import os

TASKS = 8
RECORDS_PER_TASK = 100


def get_logger():
    logger = logging.getLogger('worker')
    if not logger.handlers:
        handler = logging.handlers.RotatingFileHandler('logs/app.log', maxBytes=16 * 1024, backupCount=50)  # expect: LF001 warning
        handler.setFormatter(logging.Formatter('%(asctime)s %(process)d %(message)s'))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    return logger


def crunch(task_id):
    logger = get_logger()
    total = 0
    for i in range(RECORDS_PER_TASK):
        total += i * task_id
        logger.info('task %d step %d total %d', task_id, i, total)
    return total


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with multiprocessing.Pool(4) as pool:
        results = pool.map(crunch, range(TASKS))  # related: LF001
    print(sum(results))
