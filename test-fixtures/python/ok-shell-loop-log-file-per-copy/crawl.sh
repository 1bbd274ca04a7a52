#!/bin/bash
# Four crawlers in the background, each told its own log file by the loop (LOG_FILE has $i in
# it): one file per process, nothing to report.
set -e
SHARDS=4
mkdir -p logs
for ((i = 0; i < SHARDS; i++)); do
  SHARD=$i LOG_FILE="logs/crawler-$i.log" python crawler.py &
done
wait
