from common import setup

log = setup("extract")

if __name__ == "__main__":
    log.info("extract step done")
