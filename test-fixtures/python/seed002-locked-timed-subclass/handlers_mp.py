# Seed 002 section 3.3: a TimedRotatingFileHandler subclass that takes a file lock around its rename; it is still a TimedRotatingFileHandler, written by several processes.
import fcntl
import os
import time
from logging.handlers import TimedRotatingFileHandler


class MPTimeRotatingFileHandler(TimedRotatingFileHandler):
    """Rotates only if no other process renamed the file for this interval yet."""

    def doRollover(self):
        if self.stream:
            self.stream.close()
            self.stream = None
        current_time = int(time.time())
        time_tuple = time.localtime(current_time - self.interval)
        dfn = self.rotation_filename(self.baseFilename + "." + time.strftime(self.suffix, time_tuple))
        # Only one process may rename; the others find dfn already there and reopen.
        if not os.path.exists(dfn):
            with open(self.baseFilename, 'a') as lock_file:
                fcntl.lockf(lock_file.fileno(), fcntl.LOCK_EX)
                if not os.path.exists(dfn) and os.path.exists(self.baseFilename):
                    self.rotate(self.baseFilename, dfn)
        if self.backupCount > 0:
            for s in self.getFilesToDelete():
                os.remove(s)
        if not self.delay:
            self.stream = self._open()
        self.rolloverAt = self.computeRollover(current_time)
