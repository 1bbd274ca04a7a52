# Seed 000 server side: the network-logging receiver with a per-name RotatingFileHandler; unPickle trusts whatever arrives on the socket (LF101).
import pickle
import logging, logging.handlers
import socketserver
import struct
import threading


class LogRecordStreamHandler(socketserver.StreamRequestHandler):
    ''' Reads LogRecord bytes and handles them. '''

    # Loggers created so far, so a second connection does not add a second handler.
    loggers = {}

    def handle(self):
        ''' Builds LogRecord objects from the stream and handles them. '''
        self.server.connection_opened()
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
            self.server.connection_closed()

    def unPickle(self, data):
        ''' Turns the received bytes back into an object. '''
        return pickle.loads(data)  # expect: LF101 error

    def handleLogRecord(self, record):
        ''' Handles one LogRecord. '''
        if self.server.logname is not None:
            name = self.server.logname
        else:
            name = record.name

        # Added by the seed's author: reuse a logger that already has its handler.
        with self.server.loggers_lock:
            if name in self.loggers:
                logger = self.loggers[name]
            else:
                logger = logging.getLogger(name)
                # Adapted: the seed rotates at 1024 bytes; 4096 x 7 keeps all 300 records countable.
                handler = logging.handlers.RotatingFileHandler(f'logs/{name}.log', 'a+', 4096, 7, encoding='UTF-8')
                logger.addHandler(handler)
                logger.setLevel(logging.DEBUG)
                logger.propagate = True
                self.loggers[name] = logger

        logger.handle(record)


class LogRecordSocketReceiver(socketserver.ThreadingTCPServer):
    ''' The socket server that receives log records. '''

    allow_reuse_address = True

    def __init__(self, host='localhost', port=logging.handlers.DEFAULT_TCP_LOGGING_PORT, handler=LogRecordStreamHandler):
        socketserver.ThreadingTCPServer.__init__(self, (host, port), handler)
        self.abort = 0
        self.timeout = 1
        self.logname = None
        self.loggers_lock = threading.Lock()
        self._open = 0
        self._seen = 0
        self._changed = threading.Condition()

    def connection_opened(self):
        with self._changed:
            self._open += 1
            self._seen += 1

    def connection_closed(self):
        with self._changed:
            self._open -= 1
            self._changed.notify_all()

    def wait_for_connections_to_close(self, expected=3):
        ''' Added for the fixture: returns once `expected` clients connected and all hung up. '''
        with self._changed:
            self._changed.wait_for(lambda: self._seen >= expected and self._open == 0, timeout=20)

    def serve_until_stopped(self):
        ''' Waits until the socket is readable. '''
        import select
        abort = 0
        while not abort:
            rd, wr, ex = select.select([self.socket.fileno()], [], [], 0.05)
            if rd:
                self.handle_request()
            abort = self.abort


def main(port=logging.handlers.DEFAULT_TCP_LOGGING_PORT, clients=None):
    tcpserver = LogRecordSocketReceiver(port=port)
    print('About to start TCP server...')
    if clients is None:
        tcpserver.serve_until_stopped()
        return
    # Added for the fixture: report the port, stop once `clients` clients came and went.
    print(tcpserver.server_address[1], flush=True)
    serve = threading.Thread(target=tcpserver.serve_until_stopped)
    serve.start()
    tcpserver.wait_for_connections_to_close(expected=clients)
    tcpserver.abort = 1
    serve.join()
    tcpserver.server_close()


if __name__ == '__main__':
    import sys
    if len(sys.argv) == 3:
        main(port=int(sys.argv[1]), clients=int(sys.argv[2]))
    else:
        main()
