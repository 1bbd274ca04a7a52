# Seed 000, experiment 2: the cookbook socket receiver (pickle.loads on socket bytes = remote code execution, LF101) run as its own program, fed by 3 SocketHandler client processes; only the server writes the file, so no LF001.
import os
import subprocess
import sys

from client import LoggingTest

if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    # Adapted: the seed starts server.py by hand on the default port; here it is started as a
    # separate program on a free port and stops by itself once the 3 clients hung up.
    server = subprocess.Popen([sys.executable, 'server.py', '0', '3'], stdout=subprocess.PIPE, text=True)
    server.stdout.readline()  # 'About to start TCP server...'
    port = int(server.stdout.readline())

    test = LoggingTest()
    test.start(name='test2', number=3, count=100, to_file=False, port=port)

    server.wait(timeout=30)
