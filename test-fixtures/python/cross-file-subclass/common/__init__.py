# Re-exports the project's handler class.
from .handlers import JsonRotatingHandler
