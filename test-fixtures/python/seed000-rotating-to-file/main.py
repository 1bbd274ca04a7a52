# Seed 000, experiment 1: LoggingTest(to_file=True) makes 3 processes each open one RotatingFileHandler on the same path -> rollover races lose records (LF001).
import sys
import os
import multiprocessing as mp
import logging, logging.handlers


class LoggingTest:
    ''' Checks logging in a multi-process environment. '''

    def start(self, name, number, count, to_file=False):
        ''' Starts `number` processes; each builds the logger `name` and logs `count` records. '''
        processes = []
        for n in range(number):
            process = mp.Process(target=self.main, args=(name, n, count, to_file))  # related: LF001
            process.start()
            processes.append(process)
        for process in processes:
            process.join()

    def main(self, name, number, count, to_file=False):
        ''' Runs in each child: logs `count` records. '''
        pid = os.getpid()

        logger = self.set_logger(name, to_file)

        for i in range(count):
            logger.debug(f'{number} {pid} {i:02d}')

        sys.exit(0)

    def set_logger(self, name, to_file=False):
        ''' to_file=False sends to the socket server, to_file=True writes the file in this process. '''
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        if to_file == False:
            handler = logging.handlers.SocketHandler('localhost', logging.handlers.DEFAULT_TCP_LOGGING_PORT)
            # Do not propagate here, to halve the traffic (the server propagates).
            logger.propagate = False
        else:
            # Adapted: the seed writes f'./{name}.log'; fixtures keep their logs under logs/.
            # `name` is the same for every child, so all three share one path.
            handler = logging.handlers.RotatingFileHandler(f'logs/{name}.log', 'a+', 1024, 7, encoding='UTF-8')  # expect: LF001 warning
        logger.addHandler(handler)

        return logger


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    test = LoggingTest()
    test.start(name='test1', number=3, count=100, to_file=True)
