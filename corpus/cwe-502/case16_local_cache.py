import argparse
import os
import pickle

CACHE = os.path.join(os.path.expanduser("~"), ".cache", "docsearch", "index.pkl")


def build_index(root):
    index = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            index.setdefault(name.lower(), []).append(os.path.join(dirpath, name))
    return index


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("term")
    parser.add_argument("--root", default=".")
    args = parser.parse_args()
    if os.path.exists(CACHE):
        with open(CACHE, "rb") as fh:
            index = pickle.load(fh)
    else:
        index = build_index(args.root)
        os.makedirs(os.path.dirname(CACHE), exist_ok=True)
        with open(CACHE, "wb") as fh:
            pickle.dump(index, fh)
    for path in index.get(args.term.lower(), []):
        print(path)


if __name__ == "__main__":
    main()
