# Seed 000 client side with to_file=False: each process sends its records to the socket server through a SocketHandler (propagate=False); no file is opened here.
import sys
import os
import multiprocessing as mp
import logging, logging.handlers


class LoggingTest:
    ''' Checks logging in a multi-process environment. '''

    def start(self, name, number, count, to_file=False, port=logging.handlers.DEFAULT_TCP_LOGGING_PORT):
        processes = []
        for n in range(number):
            process = mp.Process(target=self.main, args=(name, n, count, to_file, port))
            process.start()
            processes.append(process)
        for process in processes:
            process.join()

    def main(self, name, number, count, to_file=False, port=logging.handlers.DEFAULT_TCP_LOGGING_PORT):
        pid = os.getpid()

        logger = self.set_logger(name, to_file, port)

        for i in range(count):
            logger.debug(f'{number} {pid} {i:02d}')

        for handler in logger.handlers:
            handler.close()
        sys.exit(0)

    def set_logger(self, name, to_file=False, port=logging.handlers.DEFAULT_TCP_LOGGING_PORT):
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        # Adapted: the seed's to_file=True branch (a RotatingFileHandler per process) lives in the
        # fixture seed000-rotating-to-file; this program only ever sends to the server.
        handler = logging.handlers.SocketHandler('localhost', port)
        # Do not propagate here, to halve the traffic (the server propagates).
        logger.propagate = False
        logger.addHandler(handler)

        return logger
