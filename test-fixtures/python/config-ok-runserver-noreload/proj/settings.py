SECRET_KEY = "fixture"
INSTALLED_APPS = []
LOGGING = {
    "version": 1,
    "handlers": {"file": {"class": "logging.handlers.RotatingFileHandler", "filename": "logs/dev.log"}},
    "root": {"handlers": ["file"]},
}
