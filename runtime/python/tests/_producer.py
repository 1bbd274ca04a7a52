"""An independent producer process for the failure tests.

    python _producer.py PATH TAG COUNT [--pace N] [--ready FILE] [--forever]

Logs COUNT records (or until killed with --forever), sleeping 1 ms every N
records, and writes the number of records emitted so far to TAG.progress
next to PATH after every record it emits (so a test knows what a killed
process had logged).  --ready: flush the first record (which makes this
process the writer if it is alone) then create FILE.
"""

import argparse
import logging
import os
import time

import _support as s


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("tag")
    parser.add_argument("count", type=int)
    parser.add_argument("--pace", type=int, default=0)
    parser.add_argument("--ready")
    parser.add_argument("--forever", action="store_true")
    parser.add_argument("--kind", default="rotating")
    parser.add_argument("--max-bytes", type=int, default=2048)
    args = parser.parse_args()
    logger = s.configure(args.kind, args.path, {"maxBytes": args.max_bytes})
    progress = os.open(args.path + "." + args.tag + ".progress", os.O_RDWR | os.O_CREAT, 0o644)
    seq = 0
    while args.forever or seq < args.count:
        logger.info("P%s %06d %s", args.tag, seq, s.PAD)
        seq += 1
        os.pwrite(progress, b"%010d" % seq, 0)
        if seq == 1 and args.ready:
            logger.handlers[0].flush()
            open(args.ready, "w").close()
        if args.pace and seq % args.pace == 0:
            time.sleep(0.001)


if __name__ == "__main__":
    main()
