#!/bin/sh
for i in 1 2 3; do  # related: LF002
    python worker.py &
done
wait
