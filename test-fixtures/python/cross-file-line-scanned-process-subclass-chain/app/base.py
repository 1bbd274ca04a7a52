# A Process subclass of the package: workers derive from it.
import multiprocessing


class BaseWorker(multiprocessing.Process):
    pass
