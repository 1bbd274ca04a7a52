# A thin entry script: nothing here names a handler or a process API, so the prefilter leaves it to the line scan; its main guard calls into the package, where a Pool inherits a module-level RotatingFileHandler (LF001 in app/server.py).
import os

from app.server import serve

if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    serve()
