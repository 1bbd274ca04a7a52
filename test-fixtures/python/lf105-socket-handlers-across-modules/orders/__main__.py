"""python -m orders: process the pending orders."""
import logging
import logging.handlers

from orders import settings
from orders.db import save

root = logging.getLogger()
root.setLevel(logging.INFO)
# ...and the entry point sends everything logged anywhere to the same collector.
root.addHandler(logging.handlers.SocketHandler(settings.LOG_HOST, settings.LOG_PORT))  # related: LF105

for order_id in (101, 102, 103):
    save(order_id)
