from common import setup

log = setup("load")

if __name__ == "__main__":
    log.info("load step done")
