# Near-miss: Pool workers log through a SocketHandler subclass that sends JSON to a separate log-server process; only that process writes the file and nothing is unpickled.
import json
import logging
import logging.handlers
import multiprocessing
import os
import struct

import log_server

WORKERS = 2


class JsonSocketHandler(logging.handlers.SocketHandler):
    def makePickle(self, record):
        # Same framing as SocketHandler (4-byte length), but JSON instead of pickle.
        data = json.dumps({'name': record.name, 'levelno': record.levelno, 'levelname': record.levelname,
                           'msg': record.getMessage(), 'process': record.process}).encode('utf-8')
        return struct.pack('>L', len(data)) + data


def init_worker(port):
    root = logging.getLogger()
    root.addHandler(JsonSocketHandler('127.0.0.1', port))
    root.setLevel(logging.INFO)


def work(n):
    logging.getLogger('work').info('item %d', n)
    return n


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    port_in, port_out = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.Process(target=log_server.run, args=('logs/central.log', port_out, WORKERS))
    server.start()
    port = port_in.recv()
    with multiprocessing.Pool(WORKERS, initializer=init_worker, initargs=(port,)) as pool:
        # Every worker gets at least one task, so each opens exactly one connection.
        pool.map(work, range(200), chunksize=1)
        pool.close()
        pool.join()
    server.join()
