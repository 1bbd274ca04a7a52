import logging
import socketserver

from ingest.logging_setup import configure

log = logging.getLogger("ingest.server")


class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            log.info("got %d bytes", len(line))


if __name__ == "__main__":
    configure()
    socketserver.TCPServer(("", 9000), Echo).serve_forever()
