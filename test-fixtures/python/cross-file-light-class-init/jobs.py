"""Jobs. Nothing here names a handler or a process API, so this file is line-scanned, not parsed."""
from applog import get_logger


class Job:
    def __init__(self, n):
        self.n = n
        self.log = get_logger()
        for i in range(50):
            self.log.info('job %d step %d', n, i)
