#!/bin/sh
torchrun --nproc-per-node gpu train.py  # related: LF002
