import logging
import logging.handlers

from orders.settings import LOG_HOST, LOG_PORT

log = logging.getLogger("orders.db")
# The database layer ships its own records to the collector...
log.addHandler(logging.handlers.SocketHandler(LOG_HOST, LOG_PORT))  # expect: LF105 warning


def save(order_id):
    log.info("saved order %s", order_id)
