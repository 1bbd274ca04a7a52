import logging
import pickle
import socketserver
import struct

_decode = pickle.loads


class LogRecordStreamHandler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            chunk = self.connection.recv(4)
            if len(chunk) < 4:
                break
            slen = struct.unpack(">L", chunk)[0]
            data = self.connection.recv(slen)  # related: LF101
            while len(data) < slen:
                data += self.connection.recv(slen - len(data))
            record = logging.makeLogRecord(_decode(data))  # expect: LF101 error
            logging.getLogger(record.name).handle(record)


if __name__ == "__main__":
    logging.basicConfig(format="%(relativeCreated)5d %(name)-15s %(message)s")
    with socketserver.ThreadingTCPServer(("0.0.0.0", 9020), LogRecordStreamHandler) as srv:
        srv.serve_forever()
