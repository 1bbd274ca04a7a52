# A thin entry script: no word the prefilter looks for, so it is line-scanned, not parsed.
import os
import sys

from batch.runner import Runner


if __name__ == "__main__":
    os.makedirs("logs", exist_ok=True)
    runner = Runner()
    done = runner.go([f"img{i}.png" for i in range(int(sys.argv[1]) if len(sys.argv) > 1 else 300)])
    print(len(done))
