# Seed 003: runs the seed's log server (it unpickles socket bytes: LF101) and the service (app.py, a separate program) that logs to it; only the server writes files, so no LF001.
import os
import subprocess
import sys
import threading

os.makedirs('logs', exist_ok=True)

import log_server  # noqa: E402  (its module level runs fileConfig, which opens ./logs/*.log)

if __name__ == '__main__':
    # Adapted: the seed serves forever on the default port; here the server runs in a thread on a
    # free port and the service is started as its own program, then everything stops.
    tcpserver = log_server.LogRecordSocketReceiver(port=0)
    port = tcpserver.server_address[1]
    serve = threading.Thread(target=tcpserver.serve_until_stopped)
    serve.start()
    subprocess.run([sys.executable, 'app.py', str(port)], check=True)
    tcpserver.wait_until_clients_left(expected=2)
    tcpserver.abort = 1
    serve.join()
    tcpserver.server_close()
