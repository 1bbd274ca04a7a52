# Near-miss: joblib.Parallel with prefer="threads" and backend="threading" runs tasks as threads of one process, so the shared RotatingFileHandler has one writer.
import logging
import os
from logging.handlers import RotatingFileHandler

from joblib import Parallel, delayed

os.makedirs('logs', exist_ok=True)
log = logging.getLogger('features')
log.setLevel(logging.INFO)
log.addHandler(RotatingFileHandler('logs/features.log', maxBytes=1 << 20, backupCount=3))


def featurize(row):
    log.info('featurized row %d', row)
    return row * 0.5


if __name__ == '__main__':
    first = Parallel(n_jobs=4, prefer='threads')(delayed(featurize)(r) for r in range(100))
    second = Parallel(n_jobs=4, backend='threading')(delayed(featurize)(r) for r in range(100, 200))
    log.info('done %d', len(first) + len(second))
