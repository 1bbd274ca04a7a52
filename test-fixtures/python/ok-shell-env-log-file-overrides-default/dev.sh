#!/bin/bash
LOG_FILE=api.log python api.py &
LOG_FILE=worker.log python worker.py &
wait
