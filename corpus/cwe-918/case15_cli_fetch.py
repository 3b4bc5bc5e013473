import argparse
import shutil
import sys

import requests


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="fetch")
    parser.add_argument("url")
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    with requests.get(args.url, stream=True, timeout=30) as resp:
        resp.raise_for_status()
        out = sys.stdout.buffer if args.output == "-" else open(args.output, "wb")
        shutil.copyfileobj(resp.raw, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
