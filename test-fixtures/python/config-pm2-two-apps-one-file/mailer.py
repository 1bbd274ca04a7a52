import logging
import time

import shop.logs  # noqa: F401

log = logging.getLogger("shop.mailer")

if __name__ == "__main__":
    while True:
        log.info("sent the pending mails")
        time.sleep(30)
