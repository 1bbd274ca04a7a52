#!/bin/sh
# start the ingest server, then run the nightly backfill from the tools folder
python -m ingest.server &
cd tools
python backfill.py
wait
