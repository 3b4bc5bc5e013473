import argparse
import sys

import requests


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="healthcheck")
    parser.add_argument("url")
    parser.add_argument("--ca-bundle", default=True, help="CA bundle used to verify the server")
    args = parser.parse_args(argv)
    resp = requests.get(args.url, verify=args.ca_bundle, timeout=10)
    print(resp.status_code, resp.reason)
    return 0 if resp.ok else 1


if __name__ == "__main__":
    sys.exit(main())
