"""A separate tool: replays a day of events, sending everything it logs to the collector."""
import logging
import logging.handlers

from orders import settings

root = logging.getLogger()
root.setLevel(logging.INFO)
root.addHandler(logging.handlers.SocketHandler(settings.LOG_HOST, settings.LOG_PORT))

if __name__ == "__main__":
    logging.getLogger("replay").info("replaying")
