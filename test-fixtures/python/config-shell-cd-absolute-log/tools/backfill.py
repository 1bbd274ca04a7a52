import logging
import sys

sys.path.insert(0, "..")
from ingest.logging_setup import configure  # noqa: E402

if __name__ == "__main__":
    configure()
    for day in range(7):
        logging.getLogger("ingest.backfill").info("backfilled day -%d", day)
