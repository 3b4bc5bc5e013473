import argparse
import subprocess
import sys
from pathlib import Path


def mirror(repo_url: str, dest: Path) -> int:
    if dest.exists():
        return subprocess.call(["git", "-C", str(dest), "remote", "update", "--prune"])
    return subprocess.call(["git", "clone", "--mirror", "--", repo_url, str(dest)])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="mirror-repo")
    parser.add_argument("url")
    parser.add_argument("dest", type=Path)
    args = parser.parse_args(argv)
    return mirror(args.url, args.dest)


if __name__ == "__main__":
    sys.exit(main())
