# A Pool target builds a Job (jobs.py, which the prefilter leaves to the line scan); Job.__init__ calls applog.get_logger(), which adds a RotatingFileHandler: 4 processes on one path (LF001).
import multiprocessing
import os

from jobs import Job


def work(n):
    return Job(n).n


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with multiprocessing.Pool(4) as pool:  # related: LF001
        print(sum(pool.map(work, range(8))))
