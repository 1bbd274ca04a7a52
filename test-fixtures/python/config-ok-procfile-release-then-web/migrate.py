import logging

import applog  # noqa: F401

logging.info("migrations applied")
