import logging
import os

SERVICE = os.environ["SERVICE_NAME"]
logging.basicConfig(  # expect: LF002 warning
    filename=f"logs/{SERVICE}.log",
    level=logging.INFO,
    format="%(asctime)s %(name)s %(message)s",
)
