# Near miss: a launcher forks, and the child at once executes another program (os.execv replaces it), so only the launcher writes its rotating log.
import logging
import os
import sys
from logging.handlers import RotatingFileHandler

os.makedirs('logs', exist_ok=True)
log = logging.getLogger('launcher')
log.setLevel(logging.INFO)
log.addHandler(RotatingFileHandler('logs/launcher.log', maxBytes=100_000, backupCount=2))


def launch(argv):
    pid = os.fork()
    if pid == 0:
        os.execv(argv[0], argv)
    log.info('launched %s as %d', argv, pid)
    return pid


if __name__ == '__main__':
    pids = [launch([sys.executable, '-c', 'pass']) for _ in range(3)]
    for p in pids:
        os.waitpid(p, 0)
    log.info('all done')
