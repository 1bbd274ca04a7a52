#!/bin/sh
set -e
torchrun --standalone --nproc-per-node=4 train.py --epochs 10  # related: LF002
