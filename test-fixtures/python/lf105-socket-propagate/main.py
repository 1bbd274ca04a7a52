# Seed 000's propagate remark: "test" and "test.app" both have a SocketHandler to the same host/port and "test.app" still propagates, so each of its records is sent twice (LF105).
import logging
import logging.handlers
import os
import threading

from frame_counter import FrameCountingServer

HOST = '127.0.0.1'


def main():
    os.makedirs('logs', exist_ok=True)
    server = FrameCountingServer('logs/frames.log')
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05})
    thread.start()

    parent = logging.getLogger('test')
    parent.setLevel(logging.DEBUG)
    parent.addHandler(logging.handlers.SocketHandler(HOST, port))

    child = logging.getLogger('test.app')
    child.addHandler(logging.handlers.SocketHandler(HOST, port))  # expect: LF105 warning

    for i in range(100):
        parent.debug('parent %d', i)
        child.debug('child %d', i)

    for handler in parent.handlers + child.handlers:
        handler.close()
    server.wait_for_clients(expected=2)
    server.shutdown()
    thread.join()
    server.server_close()
    server.out.close()


if __name__ == '__main__':
    main()
