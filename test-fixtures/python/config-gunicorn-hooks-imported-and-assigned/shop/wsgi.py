"""The WSGI app every worker serves."""
import logging

log = logging.getLogger("shop.requests")
audit = logging.getLogger("shop.audit")


def app(environ, start_response):
    log.info("request %s", environ.get("PATH_INFO"))
    if environ.get("REQUEST_METHOD") == "POST":
        audit.info("order placed")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok\n"]
