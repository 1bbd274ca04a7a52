# The queue the workers log to, handed to each worker by the pool's initializer.
log_queue = None


def install(handed):
    global log_queue
    log_queue = handed
