bind = "0.0.0.0:8000"
workers = 4  # related: LF001
timeout = 30
