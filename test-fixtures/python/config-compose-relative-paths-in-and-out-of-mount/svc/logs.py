# Three files named from the program's own name: the two under logs/ land in the ./logs mount both
# services share (information: the name may differ), app-*.log in each container's /app.
import logging
import sys

NAME = sys.argv[0].rsplit("/", 1)[-1]
shared0 = logging.FileHandler(f"logs/{NAME}-x.log")  # expect: LF002 information
local = logging.FileHandler(f"app-{NAME}.log")
shared = logging.FileHandler(f"logs/{NAME}.log")  # expect: LF002 information
logging.getLogger().addHandler(local)
logging.getLogger().addHandler(shared)
