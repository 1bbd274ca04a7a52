# A service forks a heartbeat child, then reloads itself with os.execv(sys.executable, ...) without stopping it; the new image forks another, so two heartbeat processes append to one file (LF104).
import logging
import os
import sys
import time

BEATS = 200


def heartbeat(generation):
    logger = logging.getLogger('heartbeat')
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.FileHandler('logs/heartbeat.log'))
    for i in range(BEATS):
        logger.info('generation %s beat %d from %d', generation, i, os.getpid())
        time.sleep(0.001)
    logging.shutdown()


def main():
    os.makedirs('logs', exist_ok=True)
    generation = os.environ.get('SERVICE_GENERATION', '1')
    pid = os.fork()  # related: LF104
    if pid == 0:
        heartbeat(generation)
        os._exit(0)
    if generation == '1':
        # New settings arrived: reload by replacing the process image (same pid).
        os.environ['SERVICE_GENERATION'] = '2'
        os.execv(sys.executable, [sys.executable] + sys.argv)  # expect: LF104 warning
    # The re-exec'd image also inherited the first heartbeat child: reap every child.
    while True:
        try:
            os.wait()
        except ChildProcessError:
            break


if __name__ == '__main__':
    main()
