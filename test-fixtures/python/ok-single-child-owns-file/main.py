# Near-miss: exactly one child process opens and writes audit.log; the parent only prints, so the file has one writer.
import logging
import logging.handlers
import multiprocessing
import os


def auditor(events):
    logger = logging.getLogger('audit')
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.handlers.RotatingFileHandler('logs/audit.log', maxBytes=1 << 20, backupCount=2))
    for event in range(events):
        logger.info('audit event %d', event)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    child = multiprocessing.Process(target=auditor, args=(200,))
    child.start()
    child.join()
    print('auditor exit code', child.exitcode)
