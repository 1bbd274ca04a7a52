"""The project's logging names, imported from here everywhere."""
from logging.handlers import RotatingFileHandler as RFH

__all__ = ["RFH"]
