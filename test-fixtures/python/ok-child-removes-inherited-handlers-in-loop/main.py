import logging
import multiprocessing
import os

logging.basicConfig(filename="app.log", level=logging.INFO)


def child(n):
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
        h.close()
    root.addHandler(logging.FileHandler(f"app-{os.getpid()}.log"))
    for i in range(n):
        logging.info("child %d", i)


if __name__ == "__main__":
    logging.info("parent starting")
    procs = [multiprocessing.Process(target=child, args=(20,)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
