import logging
from logging.handlers import RotatingFileHandler

handler = RotatingFileHandler("logs/shop.log", maxBytes=5_000_000, backupCount=3)  # expect: LF001 warning
handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(message)s"))
logging.getLogger("shop").addHandler(handler)
logging.getLogger("shop").setLevel(logging.INFO)
