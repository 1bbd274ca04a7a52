# Near-miss: the FileHandler is built under the __main__ guard and the start method is spawn, so the children never get it; only the parent writes app.log.
import logging
import multiprocessing
import os

logger = logging.getLogger('report')


def build_report(section):
    # Under spawn this child has no handler: its INFO records are dropped, not written to app.log.
    logger.info('building section %d', section)
    return section * section


if __name__ == '__main__':
    multiprocessing.set_start_method('spawn')
    os.makedirs('logs', exist_ok=True)
    handler = logging.FileHandler('logs/app.log')
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    children = [multiprocessing.Process(target=build_report, args=(s,)) for s in range(4)]
    for child in children:
        child.start()
    for child in children:
        child.join()
    for i in range(200):
        logger.info('parent record %d', i)
