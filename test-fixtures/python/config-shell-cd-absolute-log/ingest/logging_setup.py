import logging

LOG_PATH = "/var/log/ingest/ingest.log"


def configure():
    logging.basicConfig(filename=LOG_PATH, level=logging.INFO,  # expect: LF002 warning
                        format="%(asctime)s %(process)d %(name)s %(message)s")
