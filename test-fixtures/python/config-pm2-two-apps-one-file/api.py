import logging
from http.server import BaseHTTPRequestHandler, HTTPServer

import shop.logs  # noqa: F401  (configures the shop logger)

log = logging.getLogger("shop.api")


class Orders(BaseHTTPRequestHandler):
    def do_GET(self):
        log.info("GET %s", self.path)
        self.send_response(200)
        self.end_headers()


if __name__ == "__main__":
    HTTPServer(("", 8000), Orders).serve_forever()
