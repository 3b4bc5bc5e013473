import subprocess


def run(*argv, timeout=120):
    return subprocess.run(list(argv), check=True, timeout=timeout, capture_output=True)
