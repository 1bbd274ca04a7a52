SECRET_KEY = "fixture"
INSTALLED_APPS = []
LOGGING_CONFIG = None
LOGGING = {
    "version": 1,
    "handlers": {"file": {"class": "logging.handlers.RotatingFileHandler", "filename": "logs/app.log"}},
    "root": {"handlers": ["file"]},
}
