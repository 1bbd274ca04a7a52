# A multiprocessing.Process subclass whose run() opens a WatchedFileHandler on one shared path; 3 instances append to it at once (LF002).
import logging
import logging.handlers
import multiprocessing
import os


class Crawler(multiprocessing.Process):
    def __init__(self, site):
        super().__init__(name=f'crawler-{site}')
        self.site = site

    def run(self):
        logger = logging.getLogger('crawler')
        logger.setLevel(logging.INFO)
        logger.addHandler(logging.handlers.WatchedFileHandler('logs/crawl.log'))  # expect: LF002 warning
        for page in range(200):
            logger.info('site %d page %d', self.site, page)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    crawlers = [Crawler(site) for site in range(3)]  # related: LF002
    for c in crawlers:
        c.start()
    for c in crawlers:
        c.join()
