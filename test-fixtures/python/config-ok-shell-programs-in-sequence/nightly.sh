#!/bin/bash
set -euo pipefail
python extract.py
python load.py &
wait
python report.py
