"""File discovery: .gitignore, default excludes, --exclude, explicit files."""

from __future__ import annotations

import json

VULNERABLE = "import os\n\ndef ping(host):\n    os.system('ping ' + host)\n"


def scanned(run_cli, *args: str) -> list[str]:
    _, out, _ = run_cli("scan", *args, "--format", "json")
    return sorted({f["path"] for f in json.loads(out)["findings"]})


def test_gitignore_and_default_excludes(tmp_path, write, run_cli):
    (tmp_path / ".git").mkdir()
    write(".gitignore", "generated/\n*_pb2.py\n")
    write("app/views.py", VULNERABLE)
    write("app/api_pb2.py", VULNERABLE)
    write("generated/x.py", VULNERABLE)
    write("build/lib/x.py", VULNERABLE)
    write("node_modules/x.py", VULNERABLE)
    write("myenv/pyvenv.cfg", "home = /usr\n")
    write("myenv/lib/x.py", VULNERABLE)
    write("app/sub/.gitignore", "local.py\n")
    write("app/sub/local.py", VULNERABLE)
    write("app/sub/kept.py", VULNERABLE)
    assert scanned(run_cli, ".") == ["app/sub/kept.py", "app/views.py"]
    assert "generated/x.py" in scanned(run_cli, ".", "--no-gitignore")


def test_exclude_option_and_explicit_files(write, run_cli):
    write("app/views.py", VULNERABLE)
    write("app/migrations/0001.py", VULNERABLE)
    assert scanned(run_cli, ".", "--exclude", "migrations") == ["app/views.py"]
    # A file named on the command line is always scanned.
    assert scanned(run_cli, "app/migrations/0001.py", "--exclude", "migrations") == [
        "app/migrations/0001.py"
    ]


def test_test_code_detected_by_path_and_content(write, run_cli):
    write("tests/test_ping.py", VULNERABLE)
    write(
        "pkg/checks.py",
        "import unittest\n" + VULNERABLE + "\nclass T(unittest.TestCase):\n    pass\n",
    )
    _, out, _ = run_cli("scan", ".", "--format", "json", "--include-tests")
    findings = json.loads(out)["findings"]
    assert {f["path"]: f["test_code"] for f in findings} == {
        "pkg/checks.py": True,
        "tests/test_ping.py": True,
    }


def test_scripts_without_extension_are_scanned_by_their_shebang(tmp_path, write, run_cli):
    manage = write(
        "bin/inventory-manage",
        """\
        #!/usr/bin/env python3
        # Operator entry point: run a maintenance command on one host.
        import subprocess
        import sys


        def main() -> int:
            host = sys.argv[1]
            return subprocess.call("ssh " + host + " uptime", shell=True)


        if __name__ == "__main__":
            sys.exit(main())
        """,
    )
    manage.chmod(0o755)
    write("bin/backup.sh", "#!/bin/sh\ntar czf /tmp/b.tgz /srv\n")
    write("bin/deploy", '#!/bin/bash\nexec python3 -m app.deploy "$@"\n')
    write("bin/README", "Scripts for operators.\n")
    write("bin/report2", "#!/usr/bin/python2.7 -u\nimport os\nos.system('df -h')\n")
    _, out, _ = run_cli("scan", ".", "--format", "json")
    report = json.loads(out)
    findings = [(f["path"], f["line"], f["cwe"]) for f in report["findings"]]
    assert ("bin/inventory-manage", 9, 78) in findings
    assert {f["path"] for f in report["findings"]} == {"bin/inventory-manage"}
    assert {f["path"] for f in report["files"]} == {"bin/inventory-manage", "bin/report2"}
