#!/bin/sh
torchrun --nproc-per-node 4 train.py --run-name exp1  # related: LF002
