# Module-level FileHandler in worker.py (imported by main.py); 2 children run worker.drain and log through it (LF002 in worker.py).
import multiprocessing

import worker

if __name__ == '__main__':
    a = multiprocessing.Process(target=worker.drain, args=(0,))  # related: LF002
    b = multiprocessing.Process(target=worker.drain, args=(1,))  # related: LF002
    a.start()
    b.start()
    a.join()
    b.join()
