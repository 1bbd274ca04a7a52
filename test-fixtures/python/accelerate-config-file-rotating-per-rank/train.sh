#!/bin/sh
exec accelerate launch --config_file accelerate.yaml train.py  # related: LF001
