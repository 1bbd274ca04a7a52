# torch.multiprocessing is a drop-in multiprocessing: 2 training processes each open a FileHandler on train.log (LF002).
import logging
import os

import torch.multiprocessing as tmp


def train(rank, epochs):
    logger = logging.getLogger('train')
    logger.setLevel(logging.INFO)
    logger.addHandler(logging.FileHandler('logs/train.log'))  # expect: LF002 warning
    for epoch in range(epochs):
        logger.info('rank %d finished epoch %d', rank, epoch)


if __name__ == '__main__':
    os.makedirs('logs', exist_ok=True)
    tmp.set_start_method('spawn')
    ranks = [tmp.Process(target=train, args=(rank, 100)) for rank in range(2)]  # related: LF002
    for p in ranks:
        p.start()
    for p in ranks:
        p.join()
