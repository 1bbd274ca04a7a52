# Package facade: re-exports the logging setup under another name.
from .logging_setup import configure as configure_logging

__all__ = ['configure_logging']
