"""A tiny WSGI app, preloaded by the master; it logs through the worker's handler."""
import logging

log = logging.getLogger("app")


def app(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
