# A line-scanned script that calls through the package's dotted names (import app.log; app.log.configure()), with the guard in parentheses (LF001 in app/log.py).
import app.log
import app.core

if (__name__ == "__main__"):
    app.log.configure()
    app.core.run()
