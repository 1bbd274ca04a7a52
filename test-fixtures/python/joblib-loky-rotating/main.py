# joblib.Parallel(n_jobs=4) uses the loky process backend by default; each worker process builds the RotatingFileHandler on one path (LF001).
import logging
import os
from logging.handlers import RotatingFileHandler

from joblib import Parallel, delayed


def featurize(row):
    log = logging.getLogger('features')
    if not log.handlers:
        log.addHandler(RotatingFileHandler('logs/features.log', maxBytes=1 << 16, backupCount=10))  # expect: LF001 warning
        log.setLevel(logging.INFO)
    log.info('featurized row %d', row)
    return row * 0.5


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    values = Parallel(n_jobs=4)(delayed(featurize)(r) for r in range(200))  # related: LF001
    print(sum(values))
