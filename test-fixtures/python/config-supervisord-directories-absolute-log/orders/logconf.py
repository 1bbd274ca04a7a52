import logging
from logging.handlers import TimedRotatingFileHandler

_handler = TimedRotatingFileHandler("/var/log/orders/orders.log", when="midnight", backupCount=14)  # expect: LF001 warning
_handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(message)s"))
logging.getLogger("orders").addHandler(_handler)
logging.getLogger("orders").setLevel(logging.INFO)
