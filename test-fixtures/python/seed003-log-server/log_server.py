# Seed 003's Log Server: one process receives pickled LogRecords from every service and writes the files; unPickle is remote code execution for anyone who can reach the port (LF101).
import logging
import logging.config
import logging.handlers
import pickle
import socketserver
import struct
import threading

logging.config.fileConfig('config/log_config.ini')


class LogRecordStreamHandler(socketserver.StreamRequestHandler):
    """Handler for a streaming logging request.

    This basically logs the record using whatever logging policy is
    configured locally.
    """

    def handle(self):
        """
        Handle multiple requests - each expected to be a 4-byte length,
        followed by the LogRecord in pickle format. Logs the record
        according to whatever policy is configured locally.
        """
        self.server.client_arrived()
        try:
            while True:
                chunk = self.connection.recv(4)
                if len(chunk) < 4:
                    break
                slen = struct.unpack('>L', chunk)[0]
                chunk = self.connection.recv(slen)
                while len(chunk) < slen:
                    chunk = chunk + self.connection.recv(slen - len(chunk))
                obj = self.unPickle(chunk)
                record = logging.makeLogRecord(obj)
                self.handleLogRecord(record)
        finally:
            self.server.client_left()

    def unPickle(self, data):
        return pickle.loads(data)  # expect: LF101 error

    def handleLogRecord(self, record):
        # if a name is specified, we use the named logger rather than the one
        # implied by the record.
        if self.server.logname is not None:
            name = self.server.logname
        else:
            name = record.name
        logger = logging.getLogger(name)
        # N.B. EVERY record gets logged. This is because Logger.handle
        # is normally called AFTER logger-level filtering.
        logger.handle(record)


class LogRecordSocketReceiver(socketserver.ThreadingTCPServer):
    """
    Simple TCP socket-based logging receiver suitable for testing.
    """

    allow_reuse_address = True

    def __init__(self, host='127.0.0.1',
                 port=logging.handlers.DEFAULT_TCP_LOGGING_PORT,
                 handler=LogRecordStreamHandler):
        socketserver.ThreadingTCPServer.__init__(self, (host, port), handler)
        self.abort = 0
        self.timeout = 1
        self.logname = None
        self._arrived = 0
        self._connected = 0
        self._changed = threading.Condition()

    def client_arrived(self):
        with self._changed:
            self._arrived += 1
            self._connected += 1

    def client_left(self):
        with self._changed:
            self._connected -= 1
            self._changed.notify_all()

    def wait_until_clients_left(self, expected):
        # Added for the fixture: the seed never stops, a test run must.
        with self._changed:
            self._changed.wait_for(lambda: self._arrived >= expected and self._connected == 0, timeout=20)

    def serve_until_stopped(self):
        import select
        abort = 0
        while not abort:
            rd, wr, ex = select.select([self.socket.fileno()],
                                       [], [],
                                       0.05)
            if rd:
                self.handle_request()
            abort = self.abort


def run(port: int = logging.handlers.DEFAULT_TCP_LOGGING_PORT):
    tcpserver = LogRecordSocketReceiver(port=port)
    print('About to start TCP server...')
    tcpserver.serve_until_stopped()


if __name__ == '__main__':
    run()
