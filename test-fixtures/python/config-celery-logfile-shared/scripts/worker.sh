#!/bin/sh
set -e
cd "$(dirname "$0")/.."
exec celery -A proj worker --concurrency=3 --logfile=logs/celery.log --loglevel=INFO  # expect: LF002 warning
