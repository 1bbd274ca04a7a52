"""Tiny WSGI app for the gunicorn test.  Logging is configured at import, so
with --preload the handler is created in the gunicorn master before it forks
its workers."""

import logging
import os
from urllib.parse import parse_qs

import _support as s

s.configure("rotating", os.environ["LFTEST_LOG"])
_logger = logging.getLogger(s.LOGGER)


def app(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    tag = query["tag"][0]
    for seq in range(int(query["n"][0])):
        _logger.info("P%s %06d %s", tag, seq, s.PAD)
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
