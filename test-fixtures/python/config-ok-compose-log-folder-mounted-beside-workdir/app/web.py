import logging
from wsgiref.simple_server import make_server

from app import logs  # noqa: F401

log = logging.getLogger(__name__)


def application(environ, start_response):
    log.info("hit %s", environ["PATH_INFO"])
    start_response("200 OK", [])
    return [b"hi"]


if __name__ == "__main__":
    make_server("0.0.0.0", 8000, application).serve_forever()
