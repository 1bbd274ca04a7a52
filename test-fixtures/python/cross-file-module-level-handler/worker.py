# Worker module that configures a FileHandler when imported: the parent imports it before forking, and spawn children would re-import it.
import logging
import os

os.makedirs('logs', exist_ok=True)
logger = logging.getLogger('worker')
logger.setLevel(logging.INFO)
logger.addHandler(logging.FileHandler('logs/worker.log'))  # expect: LF002 warning


def drain(partition):
    for i in range(200):
        logger.info('partition %d offset %d', partition, i)
