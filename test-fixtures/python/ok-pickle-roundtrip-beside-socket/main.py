# Near miss for LF101: a module that imports socket and unpickles, but only bytes it pickled itself or read from its own checkpoint file; what arrives on the socket is JSON.
import json
import logging
import os
import pickle
import socket
import threading

RECORDS = 50


def checkpoint(state, path):
    with open(path, 'wb') as f:
        pickle.dump(state, f)
    with open(path, 'rb') as f:
        return pickle.load(f)


def clone(obj):
    return pickle.loads(pickle.dumps(obj))


def serve(listener, log):
    conn, _addr = listener.accept()
    with conn, conn.makefile('r', encoding='utf-8') as lines:
        for line in lines:
            log.info('got %s', json.loads(line)['n'])


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    log = logging.getLogger('receiver')
    log.setLevel(logging.INFO)
    log.addHandler(logging.FileHandler('logs/roundtrip.log'))
    state = clone({'seen': list(range(3))})
    blob = pickle.dumps(state)
    restored = pickle.loads(blob)
    assert checkpoint(restored, 'logs/state.pickle') == state

    listener = socket.create_server(('127.0.0.1', 0))
    receiver = threading.Thread(target=serve, args=(listener, log))
    receiver.start()
    with socket.create_connection(listener.getsockname()) as out:
        for i in range(RECORDS):
            out.sendall((json.dumps({'n': i}) + '\n').encode('utf-8'))
    receiver.join(timeout=30)
    listener.close()
