# Cross-file chain through relative imports: 2 Process children run worker_pkg.worker.consume, which opens logs/relative.log via .logconf (LF002 in worker_pkg/logconf.py).
import multiprocessing
import os

from worker_pkg import worker

if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    consumers = []
    for queue_no in range(2):
        c = multiprocessing.Process(target=worker.consume, args=(queue_no,))  # related: LF002
        c.start()
        consumers.append(c)
    for c in consumers:
        c.join()
