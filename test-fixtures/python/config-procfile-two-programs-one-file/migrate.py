import logging

import shop.logs  # noqa: F401

logging.getLogger("shop.migrate").info("schema up to date")
