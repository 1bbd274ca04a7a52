import logging
from wsgiref.simple_server import make_server

from orders import logconf  # noqa: F401

log = logging.getLogger("orders.api")


def app(environ, start_response):
    log.info("request %s", environ["PATH_INFO"])
    start_response("200 OK", [])
    return [b""]


if __name__ == "__main__":
    make_server("", 8080, app).serve_forever()
