# Start method forced to spawn, but the RotatingFileHandler is built at module level outside the guard: every child re-imports the main module and opens its own rotating handler (LF001).
import logging
import multiprocessing
import os
from logging.handlers import RotatingFileHandler

os.makedirs('logs', exist_ok=True)
logging.basicConfig(
    level=logging.INFO,
    format='%(process)d %(message)s',
    handlers=[RotatingFileHandler('logs/render.log', maxBytes=8192, backupCount=40)],  # expect: LF001 warning
)


def render(frame):
    logging.info('rendered frame %d', frame)
    return frame


if __name__ == '__main__':
    multiprocessing.set_start_method('spawn')
    with multiprocessing.Pool(3) as pool:
        frames = pool.map(render, range(300))  # related: LF001
    logging.info('rendered %d frames', len(frames))
