# The pathos project's `multiprocess` package (the standard library's process pool, pickling with dill) starts the same Pool under another name, and this file names no other process API: the prefilter has to know that name. pkg.log_setup.configure() builds its rotating handler in each of the 4 workers (LF001 in pkg/log_setup.py).
import os

import multiprocess

from pkg.tasks import process_order

if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with multiprocess.Pool(processes=4) as pool:
        done = pool.map(process_order, range(400))  # related: LF001
    print(len(done), 'orders')
