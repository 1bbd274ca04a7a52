"""The shop's WSGI entry point."""
import logging

log = logging.getLogger("shop")


def application(environ, start_response):
    log.info("%s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
