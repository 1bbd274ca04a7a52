SECRET_KEY = "fixture"
DEBUG = True
INSTALLED_APPS = ["django.contrib.contenttypes"]

LOGGING = {
    "version": 1,
    "handlers": {
        "daily": {
            "class": "logging.handlers.TimedRotatingFileHandler",  # expect: LF001 warning
            "filename": "logs/dev.log",
            "when": "midnight",
        },
    },
    "root": {"handlers": ["daily"], "level": "DEBUG"},
}
