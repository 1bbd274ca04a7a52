# Near-miss: a plain script with a RotatingFileHandler, a TimedRotatingFileHandler and basicConfig(filename=) and no second process at all.
import logging
import os
from logging.handlers import RotatingFileHandler, TimedRotatingFileHandler

os.makedirs('logs', exist_ok=True)
logging.basicConfig(filename='logs/root.log', level=logging.INFO)
errors = logging.getLogger('cli.errors')
errors.addHandler(RotatingFileHandler('logs/errors.log', maxBytes=4096, backupCount=10))
daily = logging.getLogger('cli.daily')
daily.addHandler(TimedRotatingFileHandler('logs/daily.log', when='midnight', backupCount=7))


def main():
    for i in range(200):
        logging.info('row %d', i)
        errors.warning('row %d needs a look', i)
        daily.info('daily row %d', i)


if __name__ == '__main__':
    main()
