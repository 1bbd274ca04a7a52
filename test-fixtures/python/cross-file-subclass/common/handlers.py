# A workspace subclass of RotatingFileHandler that writes JSON lines; it rotates exactly like its base class.
import json
from logging.handlers import RotatingFileHandler


class JsonRotatingHandler(RotatingFileHandler):
    def format(self, record):
        return json.dumps({'pid': record.process, 'logger': record.name, 'msg': record.getMessage()})
