bind = "0.0.0.0:8000"
workers = 4  # related: LF001
logconfig_dict = {
    "version": 1,
    "handlers": {
        "file": {
            "class": "logging.handlers.TimedRotatingFileHandler",  # expect: LF001 warning
            "filename": "logs/gunicorn.log",
            "when": "midnight",
        },
    },
    "root": {"handlers": ["file"], "level": "INFO"},
}
