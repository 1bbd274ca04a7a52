"""Where the order service sends its log records."""
LOG_HOST = "logs.internal"
LOG_PORT = 9020
