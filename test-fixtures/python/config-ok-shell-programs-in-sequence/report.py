from common import setup

log = setup("report")

if __name__ == "__main__":
    log.info("report step done")
