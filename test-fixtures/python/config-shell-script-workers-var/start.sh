#!/usr/bin/env bash
set -euo pipefail
WORKERS=4
export PYTHONUNBUFFERED=1
exec gunicorn --workers "$WORKERS" --bind 0.0.0.0:8000 app:app  # related: LF001
