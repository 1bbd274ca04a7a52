# src/ layout: main.py starts a ProcessPoolExecutor whose initializer (shop.jobs.invoices.init_worker) calls shop.configure_logging, re-exported in src/shop/__init__.py (LF001 in src/shop/logging_setup.py).
import os
import sys
from concurrent.futures import ProcessPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'src'))

from shop.jobs.invoices import init_worker, render_invoice  # noqa: E402

if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    with ProcessPoolExecutor(max_workers=3, initializer=init_worker) as pool:  # related: LF001
        rendered = list(pool.map(render_invoice, range(300)))
    print(len(rendered), 'invoices')
