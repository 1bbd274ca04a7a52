# picologging.FileHandler (imported as pl) configured at module level, then os.fork(): parent and child append to one file (LF002).
import os

import picologging as pl

os.makedirs('logs', exist_ok=True)
logger = pl.getLogger('pico.fork')
logger.setLevel(pl.INFO)
logger.addHandler(pl.FileHandler('logs/pico-fork.log'))  # expect: LF002 warning

if __name__ == '__main__':
    pid = os.fork()  # related: LF002
    for i in range(200):
        logger.info('%s record %d', 'child' if pid == 0 else 'parent', i)
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
