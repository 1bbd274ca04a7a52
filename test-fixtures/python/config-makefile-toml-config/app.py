"""A tiny WSGI app: what the workers import."""
import logging
import logging.config
import tomllib
from pathlib import Path

logging.config.dictConfig(tomllib.loads(Path("logging.toml").read_text()))  # related: LF002
log = logging.getLogger(__name__)


def application(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]


app = application
