import logging

from applog import configure

if __name__ == "__main__":
    configure()
    logging.info("consumer up")
