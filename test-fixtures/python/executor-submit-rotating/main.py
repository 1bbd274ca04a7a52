# ProcessPoolExecutor tasks call app.logs.task_logger(), which builds a RotatingFileHandler in each of the 3 workers on one path (LF001, found across files).
import os
from concurrent.futures import ProcessPoolExecutor, as_completed

from app.logs import task_logger


def checksum(block):
    log = task_logger('tasks')
    value = 0
    for i in range(50):
        value = (value * 31 + block + i) % 1_000_003
        log.info('block %d step %d value %d', block, i, value)
    return value


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with ProcessPoolExecutor(max_workers=3) as executor:
        futures = [executor.submit(checksum, block) for block in range(12)]  # related: LF001
        print(sum(f.result() for f in as_completed(futures)))
