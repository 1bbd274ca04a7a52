# FileHandler configured under the __main__ guard before two separate Process starts whose targets log: under fork (Linux <= 3.13) the parent and both children append to app.log (LF002).
import logging
import os
from multiprocessing import Process

logger = logging.getLogger('etl')


def extract():
    for i in range(200):
        logger.info('extracted row %d', i)


def load():
    for i in range(200):
        logger.info('loaded row %d', i)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    handler = logging.FileHandler('logs/app.log')  # expect: LF002 warning
    handler.setFormatter(logging.Formatter('%(asctime)s %(processName)s %(message)s'))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.info('pipeline start')
    extractor = Process(target=extract)  # related: LF002
    loader = Process(target=load)  # related: LF002
    extractor.start()
    loader.start()
    extractor.join()
    loader.join()
    logger.info('pipeline done')
