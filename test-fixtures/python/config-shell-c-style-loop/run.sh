#!/bin/bash
for ((i = 0; i < 4; i++)); do  # related: LF001
    python shard.py "$i" &
done
wait
