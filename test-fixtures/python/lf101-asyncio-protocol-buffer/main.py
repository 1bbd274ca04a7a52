# An asyncio log receiver for SocketHandler clients: the protocol keeps what arrives in a buffer and unpickles each frame cut from it (LF101 follows the frame to self.buffer, and self.buffer to data_received).
import asyncio
import logging
import logging.handlers
import os
import pickle
import struct
import threading

RECORDS = 250


class RecordProtocol(asyncio.Protocol):
    def __init__(self, sink, done):
        self.sink = sink
        self.done = done
        self.buffer = b''
        self.received = 0

    def data_received(self, data):  # related: LF101
        self.buffer += data
        while len(self.buffer) >= 4:
            (size,) = struct.unpack('>L', self.buffer[:4])
            if len(self.buffer) < 4 + size:
                break
            frame = self.buffer[4:4 + size]
            self.buffer = self.buffer[4 + size:]
            self.handle_frame(frame)

    def handle_frame(self, frame):
        attrs = pickle.loads(frame)  # expect: LF101 error
        self.sink.handle(logging.makeLogRecord(attrs))
        self.received += 1
        if self.received == RECORDS:
            self.done.set()


def send_records(port):
    client = logging.getLogger('client')
    client.propagate = False
    client.setLevel(logging.INFO)
    sender = logging.handlers.SocketHandler('127.0.0.1', port)
    client.addHandler(sender)
    for i in range(RECORDS):
        client.info('record %d', i)
    sender.close()


async def main():
    os.makedirs('logs', exist_ok=True)
    sink = logging.FileHandler('logs/asyncio.log')
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: RecordProtocol(sink, done), '127.0.0.1', 0)
    port = server.sockets[0].getsockname()[1]
    sender = threading.Thread(target=send_records, args=(port,))
    sender.start()
    await asyncio.wait_for(done.wait(), timeout=30)
    sender.join()
    server.close()
    await server.wait_closed()
    sink.close()


if __name__ == '__main__':
    asyncio.run(main())
