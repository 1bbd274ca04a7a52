# max_workers from int(os.getenv("JOBS")): a task-built FileHandler on one path is shared only if JOBS >= 2 -> LF002 information (depends on JOBS).
import logging
import os
from concurrent.futures import ProcessPoolExecutor


def convert(doc_id):
    logger = logging.getLogger('convert')
    if not logger.handlers:
        logger.addHandler(logging.FileHandler('logs/convert.log'))  # expect: LF002 information
        logger.setLevel(logging.INFO)
    logger.info('converted document %d', doc_id)
    return doc_id


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with ProcessPoolExecutor(max_workers=int(os.getenv('JOBS', '2'))) as executor:
        futures = [executor.submit(convert, d) for d in range(200)]  # related: LF002
        done = [f.result() for f in futures]
    print(len(done))
