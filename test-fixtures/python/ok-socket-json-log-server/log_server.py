# A log server process that decodes JSON (never pickle); it is the only process that opens the log file.
import json
import logging
import socketserver
import struct
import threading

MAX_RECORD = 64 * 1024
FIELDS = ('name', 'levelno', 'levelname', 'msg', 'process')


class JsonRecordHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.server.client_arrived()
        try:
            while True:
                header = self.rfile.read(4)
                if len(header) < 4:
                    break
                (size,) = struct.unpack('>L', header)
                if size > MAX_RECORD:
                    break  # hostile or broken client: drop the connection
                fields = json.loads(self.rfile.read(size).decode('utf-8'))
                record = logging.makeLogRecord({k: fields[k] for k in FIELDS if k in fields})
                self.server.sink.handle(record)
        finally:
            self.server.client_left()


class JsonLogServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True

    def __init__(self, path):
        super().__init__(('127.0.0.1', 0), JsonRecordHandler)
        self.sink = logging.FileHandler(path)
        self.sink.setFormatter(logging.Formatter('%(process)d %(name)s %(levelname)s %(message)s'))
        self._cond = threading.Condition()
        self._arrived = 0
        self._open = 0

    def client_arrived(self):
        with self._cond:
            self._arrived += 1
            self._open += 1

    def client_left(self):
        with self._cond:
            self._open -= 1
            self._cond.notify_all()

    def wait_for_clients(self, expected):
        with self._cond:
            self._cond.wait_for(lambda: self._arrived >= expected and self._open == 0, timeout=20)


def run(path, port_out, expected_clients):
    """Process target: serve until `expected_clients` connected and all hung up."""
    server = JsonLogServer(path)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05})
    thread.start()
    port_out.send(server.server_address[1])
    server.wait_for_clients(expected_clients)
    server.shutdown()
    thread.join()
    server.server_close()
    server.sink.close()
