# QueueHandlers on the root logger and on "app.db" feed the same queue, and "app.db" propagates: every app.db record reaches the listener twice (LF105).
import logging
import logging.handlers
import os
import queue

os.makedirs('logs', exist_ok=True)
records = queue.Queue()
listener = logging.handlers.QueueListener(records, logging.FileHandler('logs/app.log'))

root = logging.getLogger()
root.setLevel(logging.INFO)
root.addHandler(logging.handlers.QueueHandler(records))

db_log = logging.getLogger('app.db')
db_log.addHandler(logging.handlers.QueueHandler(records))  # expect: LF105 warning

if __name__ == '__main__':
    listener.start()
    for i in range(100):
        logging.getLogger('app.web').info('request %d', i)
        db_log.info('query %d', i)
    listener.stop()
