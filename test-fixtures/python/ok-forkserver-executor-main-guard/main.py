# Near-miss: the FileHandler is set up under the __main__ guard and the pool uses forkserver, so the logging workers neither inherit it nor rebuild it; only the parent appends to summary.log.
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

log = logging.getLogger('summary')


def word_count(text_id):
    # Under forkserver this worker has no handler for 'summary': the record is dropped, not appended.
    log.info('counting text %d', text_id)
    return len(f'text number {text_id} with a few words'.split())


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    log.addHandler(logging.FileHandler('logs/summary.log'))
    log.setLevel(logging.INFO)
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context('forkserver')) as ex:
        counts = list(ex.map(word_count, range(200)))
    for text_id, count in enumerate(counts):
        log.info('text %d has %d words', text_id, count)
