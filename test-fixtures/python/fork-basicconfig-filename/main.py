# basicConfig(filename=...) at startup, then os.fork(): parent and child both append to app.log through the one inherited handler (LF002).
import logging
import os

os.makedirs('logs', exist_ok=True)
logging.basicConfig(filename='logs/app.log', level=logging.INFO, format='%(process)d %(message)s')  # expect: LF002 warning


def main():
    logging.info('before fork')
    pid = os.fork()  # related: LF002
    role = 'child' if pid == 0 else 'parent'
    for i in range(200):
        logging.info('%s record %d', role, i)
    if pid == 0:
        logging.shutdown()
        os._exit(0)
    os.waitpid(pid, 0)


if __name__ == '__main__':
    main()
