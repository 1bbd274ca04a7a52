# gunicorn calls the app factory in each of its 4 workers: the rotating handler the factory adds is built 4 times on one path (LF001).
import logging
from logging.handlers import TimedRotatingFileHandler


def create_app():
    log = logging.getLogger('app')
    log.setLevel(logging.INFO)
    log.addHandler(TimedRotatingFileHandler('logs/app.log', when='midnight', backupCount=7))  # expect: LF001 warning

    def wsgi(environ, start_response):
        log.info('request %s', environ.get('PATH_INFO'))
        start_response('200 OK', [('Content-Type', 'text/plain')])
        return [b'ok\n']

    return wsgi
