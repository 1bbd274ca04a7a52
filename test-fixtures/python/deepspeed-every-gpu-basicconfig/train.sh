#!/bin/sh
deepspeed train.py --deepspeed ds_config.json  # related: LF002
