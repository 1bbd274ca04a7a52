# The Pool task: configures logging through pkg.log_setup, then logs.
import logging

from pkg import log_setup

log = logging.getLogger('pkg.tasks')


def process_order(order_id):
    log_setup.configure()
    log.info('processed order %d', order_id)
    return order_id
