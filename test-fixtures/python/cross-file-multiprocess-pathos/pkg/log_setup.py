# Logging setup used by the task module; the RotatingFileHandler it builds exists in whichever process calls configure().
import logging
import logging.handlers

_configured = False


def configure():
    global _configured
    if _configured:
        return
    handler = logging.handlers.RotatingFileHandler(  # expect: LF001 warning
        'logs/pkg.log', maxBytes=1 << 16, backupCount=10)
    handler.setFormatter(logging.Formatter('%(process)d %(name)s %(message)s'))
    logging.getLogger('pkg').addHandler(handler)
    logging.getLogger('pkg').setLevel(logging.INFO)
    _configured = True
