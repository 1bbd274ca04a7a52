from common import setup

log = setup("ingest")

if __name__ == "__main__":
    for batch in range(100):
        log.info("ingested batch %d", batch)
