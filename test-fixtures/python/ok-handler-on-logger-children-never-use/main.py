import logging
import multiprocessing as mp

from app.audit import audit
from app.tasks import resize

if __name__ == "__main__":
    mp.set_start_method("spawn")
    audit.info("batch started by %s", "cron")
    with mp.Pool(4) as pool:
        pool.map(resize, [f"img{i}.png" for i in range(20)])
    logging.getLogger("app").info("done")
