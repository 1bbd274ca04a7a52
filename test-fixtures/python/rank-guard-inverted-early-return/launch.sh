#!/usr/bin/env bash
# One training process per rank on this node.
export WORLD_SIZE=4
export MASTER_ADDR=127.0.0.1 MASTER_PORT=29500
for RANK in 0 1 2 3; do  # related: LF002
  RANK=$RANK python train.py --epochs 3 &
done
wait
