# Test receiver: counts SocketHandler frames (4-byte length + payload) without decoding them and writes one line per frame.
import socketserver
import struct
import threading


class FrameCounter(socketserver.StreamRequestHandler):
    def handle(self):
        self.server.client_arrived()
        try:
            while True:
                header = self.rfile.read(4)
                if len(header) < 4:
                    break
                (size,) = struct.unpack('>L', header)
                self.rfile.read(size)
                with self.server.out_lock:
                    self.server.out.write(f'frame of {size} bytes\n')
        finally:
            self.server.client_left()


class FrameCountingServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True

    def __init__(self, path):
        super().__init__(('127.0.0.1', 0), FrameCounter)
        self.out = open(path, 'a', encoding='utf-8')
        self.out_lock = threading.Lock()
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
