# A line-scanned script whose setup runs at module level inside try/except, and its work inside `if ... and ...:` guard: indented module-level code runs at import, not in a function (LF001 in app/log.py).
import os

from app import log, core

try:
    log.configure()
except OSError:
    pass

if __name__ == '__main__' and not os.environ.get('DRY_RUN'):
    core.run()
