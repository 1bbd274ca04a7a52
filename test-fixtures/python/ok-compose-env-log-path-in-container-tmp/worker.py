import logging
import os
import sys

logging.basicConfig(
    filename=os.getenv("APP_LOG_PATH"),
    level=os.getenv("LOG_LEVEL", "INFO"),
    format="%(asctime)s %(processName)s %(message)s",
)

if __name__ == "__main__":
    queue_name = sys.argv[1]
    logging.info("consuming %s", queue_name)
