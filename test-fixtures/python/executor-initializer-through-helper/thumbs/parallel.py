"""Fan work out over a process pool; callers choose what each worker sets up first."""
from concurrent.futures import ProcessPoolExecutor, as_completed


def run_parallel(func, items, initializer=None, workers=4):
    results = []
    with ProcessPoolExecutor(max_workers=workers, initializer=initializer) as ex:  # related: LF002
        futures = [ex.submit(func, item) for item in items]
        for fut in as_completed(futures):
            results.append(fut.result())
    return results
