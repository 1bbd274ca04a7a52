import logging
import os
import time

os.makedirs("logs", exist_ok=True)
logging.basicConfig(
    filename=f"logs/ingest-{os.environ['INSTANCE_ID']}.log",
    level=logging.INFO,
    format="%(asctime)s %(process)d %(message)s",
)

while True:
    logging.info("ingested")
    time.sleep(1)
