# The queue the exporters log to, filled in by the parent before it starts them.
log_queue = None
