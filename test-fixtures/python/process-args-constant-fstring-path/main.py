# Each child builds its handler from an f-string over its first argument, and every start passes the same literal: 3 processes append to logs/shared.log, logging through a logger kept in a variable named lg (LF002).
import logging
import multiprocessing
import os


def work(name, n):
    lg = logging.getLogger(f'w{n}')
    lg.setLevel(logging.INFO)
    lg.addHandler(logging.FileHandler(f'logs/{name}.log'))  # expect: LF002 warning
    for i in range(20):
        lg.info('pid %d worker %d record %d', os.getpid(), n, i)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    procs = [multiprocessing.Process(target=work, args=('shared', n)) for n in range(3)]  # related: LF002
    for p in procs:
        p.start()
    for p in procs:
        p.join()
