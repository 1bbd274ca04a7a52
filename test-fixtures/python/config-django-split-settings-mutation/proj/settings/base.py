SECRET_KEY = "fixture"
INSTALLED_APPS = ["django.contrib.contenttypes"]

LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
