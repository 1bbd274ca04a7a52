#!/bin/bash
# Four crawlers in the background, all told the same log file: each appends to
# logs/crawler.log (crawler.py, LF002).
set -e
SHARDS=4
mkdir -p logs
for ((i = 0; i < SHARDS; i++)); do
  SHARD=$i LOG_FILE="logs/crawler.log" python crawler.py &  # related: LF002
done
wait
