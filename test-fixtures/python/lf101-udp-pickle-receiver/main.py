# A UDP log receiver for DatagramHandler clients that unpickles every datagram it gets from recvfrom(): anyone who can send it a packet runs code in it (LF101).
import logging
import logging.handlers
import os
import pickle
import socket
import threading
import time

RECORDS = 200


def receive(sock, sink, stop):
    sock.settimeout(0.05)
    received = 0
    while not (stop.is_set() and received >= RECORDS):
        try:
            data, _addr = sock.recvfrom(65535)
        except socket.timeout:
            if stop.is_set():
                break
            continue
        attrs = pickle.loads(data[4:])  # expect: LF101 error
        sink.handle(logging.makeLogRecord(attrs))
        received += 1


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(('127.0.0.1', 0))
    sink = logging.FileHandler('logs/udp.log')
    stop = threading.Event()
    receiver = threading.Thread(target=receive, args=(sock, sink, stop))
    receiver.start()

    client = logging.getLogger('client')
    client.propagate = False
    client.setLevel(logging.INFO)
    client.addHandler(logging.handlers.DatagramHandler('127.0.0.1', sock.getsockname()[1]))
    for i in range(RECORDS):
        client.info('datagram %d', i)
        time.sleep(0.0005)  # UDP drops bursts; a little pacing keeps the count exact
    time.sleep(0.2)
    stop.set()
    receiver.join(timeout=10)
    sock.close()
