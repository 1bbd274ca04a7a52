# A FileHandler opened before os.forkpty(): the child on the pseudo-terminal and the parent both append to session.log (LF002).
import logging
import os

logger = logging.getLogger('session')


def child_session():
    for i in range(200):
        logger.info('child line %d', i)
    logging.shutdown()
    os._exit(0)


def main():
    os.makedirs('logs', exist_ok=True)
    logger.addHandler(logging.FileHandler('logs/session.log'))  # expect: LF002 warning
    logger.setLevel(logging.INFO)
    pid, master_fd = os.forkpty()  # related: LF002
    if pid == 0:
        child_session()
    for i in range(200):
        logger.info('parent line %d', i)
    os.waitpid(pid, 0)
    os.close(master_fd)


if __name__ == '__main__':
    main()
