from common import setup

log = setup("report")

if __name__ == "__main__":
    for page in range(100):
        log.info("rendered page %d", page)
