# The queue the workers log to. The parent fills it in before it starts them; a forked worker
# inherits the parent's memory and sees it, a spawned one re-imports this module and gets None.
log_queue = None
