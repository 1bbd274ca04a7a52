import logging
import os

SERVICE = os.environ["SERVICE_NAME"]
logging.basicConfig(
    filename=f"logs/{SERVICE}.log",
    level=logging.INFO,
    format="%(asctime)s %(name)s %(message)s",
)
