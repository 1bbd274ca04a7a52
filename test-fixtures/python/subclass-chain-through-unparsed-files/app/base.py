import logging.handlers


class Base(logging.handlers.RotatingFileHandler):
    """Rotating file handler with the project's format."""

    def __init__(self, filename, **kwargs):
        super().__init__(filename, **kwargs)
        self.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
