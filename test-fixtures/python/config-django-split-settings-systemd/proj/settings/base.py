SECRET_KEY = "fixture"
INSTALLED_APPS = ["django.contrib.contenttypes"]
ROOT_URLCONF = "proj.urls"

LOGGING = {
    "version": 1,
    "handlers": {
        "file": {
            "class": "logging.FileHandler",  # expect: LF002 warning
            "filename": "logs/app.log",
        },
    },
    "loggers": {"django": {"handlers": ["file"], "level": "INFO"}},
}
