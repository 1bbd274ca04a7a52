# A TCP log receiver whose unpickling helper is a module-level function: the bytes reach it as an argument, read from the connection's file (LF101 follows the parameter back to the call).
import logging
import logging.handlers
import os
import pickle
import socket
import struct
import threading

RECORDS = 300


def decode(payload):
    return pickle.loads(payload)  # expect: LF101 error


def serve(listener, sink):
    conn, _addr = listener.accept()
    stream = conn.makefile('rb')
    received = 0
    while received < RECORDS:
        header = stream.read(4)
        if len(header) < 4:
            break
        (size,) = struct.unpack('>L', header)
        attrs = decode(stream.read(size))  # related: LF101
        sink.handle(logging.makeLogRecord(attrs))
        received += 1
    stream.close()
    conn.close()


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    listener = socket.create_server(('127.0.0.1', 0))
    sink = logging.FileHandler('logs/received.log')
    receiver = threading.Thread(target=serve, args=(listener, sink))
    receiver.start()

    client = logging.getLogger('client')
    client.propagate = False
    client.setLevel(logging.INFO)
    sender = logging.handlers.SocketHandler('127.0.0.1', listener.getsockname()[1])
    client.addHandler(sender)
    for i in range(RECORDS):
        client.info('record %d', i)
    receiver.join(timeout=30)
    sender.close()
    listener.close()
    sink.close()
