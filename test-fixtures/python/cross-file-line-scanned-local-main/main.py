# A line-scanned entry script (no prefilter word) whose main guard calls its own main(), which configures logging and runs the pool: the guard's call to a local function reaches the package (LF001 in app/log.py).
from app.log import configure
from app.core import run


def main():
    configure()
    run()


if __name__ == '__main__':
    main()
