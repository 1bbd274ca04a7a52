#!/bin/bash
# single node, 8 GPUs
torchrun --nproc_per_node=8 train.py "$@"
