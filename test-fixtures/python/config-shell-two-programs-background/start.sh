#!/bin/sh
set -e
python migrate.py
python ingest.py > /dev/null 2>&1 &  # related: LF002
python report.py  # related: LF002
wait
