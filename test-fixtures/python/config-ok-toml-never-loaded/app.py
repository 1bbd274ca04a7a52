"""A tiny WSGI app: what the workers import."""
import logging

log = logging.getLogger("serving")


def application(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]


app = application
