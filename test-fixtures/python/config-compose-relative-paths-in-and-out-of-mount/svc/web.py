import logging
import svc.logs  # noqa: F401
logging.getLogger("local").info("web")
