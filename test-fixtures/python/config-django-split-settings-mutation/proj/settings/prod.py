from .base import *  # noqa: F401,F403

LOGGING["handlers"]["file"] = {
    "class": "logging.handlers.RotatingFileHandler",  # expect: LF001 warning
    "filename": "/var/log/proj/app.log",
    "maxBytes": 50_000_000,
    "backupCount": 3,
}
LOGGING["root"]["handlers"].append("file")
