"""A tiny WSGI app: what the workers import."""
import logging
import logging.config
import tomllib

with open("logging.toml", "rb") as config_file:
    CONFIG = tomllib.load(config_file)
logging.config.dictConfig(CONFIG)  # related: LF001
log = logging.getLogger(__name__)


def application(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]


app = application
