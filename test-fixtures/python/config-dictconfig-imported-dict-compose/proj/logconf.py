LOGGING_CONFIG = {
    "version": 1,
    "handlers": {
        "file": {
            "class": "logging.handlers.RotatingFileHandler",  # expect: LF001 warning
            "filename": "logs/proj.log",
            "maxBytes": 5_000_000,
            "backupCount": 2,
        },
    },
    "root": {"handlers": ["file"], "level": "INFO"},
}
