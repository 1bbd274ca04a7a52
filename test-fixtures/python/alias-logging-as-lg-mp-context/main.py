# `import logging as lg` + a fork context stored in a variable: lg.FileHandler built in the Pool initializer of 2 workers (from ctx.Pool) appends to one file (LF002).
import logging as lg
import multiprocessing
import os

ctx = multiprocessing.get_context('fork')


def init():
    lg.getLogger().addHandler(lg.FileHandler('logs/ctx.log'))  # expect: LF002 warning
    lg.getLogger().setLevel(lg.INFO)


def square(n):
    lg.info('square of %d', n)
    return n * n


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    pool = ctx.Pool(2, initializer=init)  # related: LF002
    pool.map_async(square, range(200)).get()
    pool.close()
    pool.join()
