import logging
import logging.config

import yaml

with open("logging.yaml") as f:
    logging.config.dictConfig(yaml.safe_load(f))

logging.getLogger("shop.orders").info("order 17 placed")
