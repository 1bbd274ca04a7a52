# Cross-file chain: main.py maps pkg.tasks.process_order over a Pool of 4; that task calls pkg.log_setup.configure(), which builds the RotatingFileHandler in every worker (LF001 in pkg/log_setup.py).
import multiprocessing
import os

from pkg.tasks import process_order

if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with multiprocessing.Pool(processes=4) as pool:
        done = pool.map(process_order, range(400))  # related: LF001
    print(len(done), 'orders')
