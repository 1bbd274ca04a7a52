import logging

handler = logging.FileHandler("/var/log/shop/shop.log")  # expect: LF002 warning
handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s %(message)s"))
logging.getLogger("shop").addHandler(handler)
logging.getLogger("shop").setLevel(logging.INFO)
