"""python -m orders: process the pending orders (orders.db sends its own records)."""
import logging

from orders.db import save

logging.basicConfig(level=logging.INFO)

for order_id in (101, 102, 103):
    save(order_id)
