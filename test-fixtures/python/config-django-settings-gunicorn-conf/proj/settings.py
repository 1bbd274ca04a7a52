from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "fixture"
DEBUG = False
INSTALLED_APPS = ["django.contrib.contenttypes"]
ROOT_URLCONF = "proj.urls"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "file": {
            "class": "logging.handlers.RotatingFileHandler",  # expect: LF001 warning
            "filename": "logs/django.log",
            "maxBytes": 10 * 1024 * 1024,
            "backupCount": 5,
        },
        "console": {"class": "logging.StreamHandler"},
    },
    "root": {"handlers": ["file", "console"], "level": "INFO"},
}
