# Near-miss: threading.Thread and ThreadPoolExecutor share one RotatingFileHandler inside one process; logging is thread-safe, so nothing to report.
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from logging.handlers import RotatingFileHandler

os.makedirs('logs', exist_ok=True)
logger = logging.getLogger('crawler')
logger.setLevel(logging.INFO)
logger.addHandler(RotatingFileHandler('logs/threads.log', maxBytes=1 << 20, backupCount=3))


def poll(feed):
    for i in range(100):
        logger.info('feed %d item %d', feed, i)


def download(url_id):
    logger.info('downloaded %d', url_id)
    return url_id


if __name__ == '__main__':
    pollers = [threading.Thread(target=poll, args=(f,)) for f in range(4)]
    for t in pollers:
        t.start()
    with ThreadPoolExecutor(max_workers=8) as executor:
        list(executor.map(download, range(200)))
    for t in pollers:
        t.join()
