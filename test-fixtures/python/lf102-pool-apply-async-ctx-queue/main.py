# A queue from get_context("spawn").Queue() sent through pool.apply_async arguments: a multiprocessing Queue cannot travel in task arguments (RuntimeError, LF102).
import logging
import logging.handlers
import multiprocessing
import os


def work(job_id, log_queue):
    log = logging.getLogger('jobs')
    if not log.handlers:
        log.addHandler(logging.handlers.QueueHandler(log_queue))
        log.setLevel(logging.INFO)
    log.info('job %d finished', job_id)
    return job_id


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    ctx = multiprocessing.get_context('spawn')
    log_queue = ctx.Queue()
    listener = logging.handlers.QueueListener(log_queue, logging.FileHandler('logs/jobs.log'))
    listener.start()
    pool = ctx.Pool(2)
    try:
        pending = [pool.apply_async(work, (job_id, log_queue)) for job_id in range(200)]  # expect: LF102 error
        print(sum(p.get(timeout=20) for p in pending))
    finally:
        pool.close()
        pool.join()
        listener.stop()
