# Seed 004, coroutine half (near-miss for the LF rules): three coroutines in ONE process, no second process writes beep.log. (Each coroutine adds its own handler, so records repeat: 897 lines, a single-process mistake outside LF001/LF002.)
import asyncio
import logging
import os
from logging.handlers import RotatingFileHandler

RECORDS_PER_TASK = 100


def config_logger():
    logger = logging.getLogger('beep')
    logger.setLevel(logging.INFO)
    handler = RotatingFileHandler('logs/beep.log',
                                  maxBytes=100 * 1024,
                                  backupCount=2,
                                  delay=True)
    handler.setFormatter(logging.Formatter('%(asctime)s %(levelname)s %(message)s'))
    logger.addHandler(handler)
    return logger


async def aio_log_forever(_id):
    logger = config_logger()
    # Adapted: the seed loops forever; a fixture must end.
    for _ in range(RECORDS_PER_TASK):
        logger.info(f'Beep from {_id}')
        await asyncio.sleep(0.001)


async def do_async_log():
    task = [aio_log_forever(1), aio_log_forever(2), aio_log_forever(3)]
    await asyncio.gather(*task)

if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    asyncio.run(do_async_log())
