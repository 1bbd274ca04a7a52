import logging
from multiprocessing import Pool


def run_pool(init, work, items, processes=4):
    with Pool(processes, initializer=init) as pool:  # related: LF002
        return pool.map(work, items)
