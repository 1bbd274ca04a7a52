# Seed 003's service side: loggers with a SocketHandler to the log server plus a console handler; this program never opens a log file.
import logging
import logging.handlers
import sys


def get_logger(name, port: int = logging.handlers.DEFAULT_TCP_LOGGING_PORT, level=logging.INFO):
    log = logging.getLogger(name)
    log.setLevel(level)
    # socket handler
    sh = logging.handlers.SocketHandler('127.0.0.1', port)
    formatter = logging.Formatter('%(asctime)s-%(levelname)s: %(message)s')
    # console handler (adapted: WARNING, so 200 INFO records do not flood the test output)
    ch = logging.StreamHandler()
    ch.setLevel(logging.WARNING)
    ch.setFormatter(formatter)

    log.addHandler(sh)
    log.addHandler(ch)
    return log


if __name__ == '__main__':
    port = int(sys.argv[1]) if len(sys.argv) > 1 else logging.handlers.DEFAULT_TCP_LOGGING_PORT
    logger = get_logger('serving', port)
    webhook_logger = get_logger('webhook', port)
    for i in range(100):
        logger.info('serving request %d', i)
        webhook_logger.info('webhook call %d', i)
    logging.shutdown()
