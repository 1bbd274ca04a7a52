# torchrun passes every rank the same --run-name: the 4 ranks append to one logs/exp1.log (LF002).
import argparse
import logging


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--run-name")
    args = parser.parse_args()
    logging.basicConfig(filename=f"logs/{args.run_name}.log", level=logging.INFO)  # expect: LF002 warning
    logging.info("go")


if __name__ == "__main__":
    main()
