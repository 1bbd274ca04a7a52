import logging
import sys

logging.basicConfig(filename="job.log", level=logging.INFO)
logging.info("job %s", sys.argv[1:])
