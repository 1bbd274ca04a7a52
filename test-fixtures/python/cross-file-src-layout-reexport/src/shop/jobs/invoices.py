# Job module: its initializer configures logging through the package re-export.
import logging

from shop import configure_logging


def init_worker():
    configure_logging()


def render_invoice(invoice_id):
    logging.getLogger('shop.invoices').info('rendered invoice %d', invoice_id)
    return invoice_id
