"""Name resolution and constant folding, seen through what the rules report."""

from __future__ import annotations

import textwrap

from secreview.analysis import analyze_source


def findings(code: str) -> list[tuple[str, int]]:
    result = analyze_source(textwrap.dedent(code), "app/tool.py")
    assert not result.diagnostics
    return [(f.rule_id, f.line) for f in result.findings]


def test_from_import_alias_resolves_to_the_real_function():
    assert findings("""
        from subprocess import Popen as P

        def run(cmd):
            return P(cmd, shell=True)
    """) == [("SR201", 5)]


def test_module_alias_and_submodule_alias():
    assert findings("""
        import os as operating_system
        import os.path as osp

        def clean(name):
            operating_system.system("rm -rf " + osp.join("/tmp", name))
    """) == [("SR202", 6)]


def test_single_star_import_resolves_free_names():
    assert findings("""
        from os import *

        def ping(host):
            system("ping " + host)
    """) == [("SR202", 5)]


def test_several_star_imports_resolve_known_exports_only():
    assert findings("""
        from os import *
        from mylib import *

        def ping(host):
            system("ping " + host)
            helper(host)
    """) == [("SR202", 6)]


def test_module_constants_fold_through_concatenation():
    assert (
        findings("""
        import subprocess

        BASE = "/srv"
        CMD = "ls " + BASE
        SHELL = True

        def listing():
            return subprocess.check_output(CMD, shell=SHELL)
    """)
        == []
    )


def test_constant_shell_flag_from_module_level_is_understood():
    assert findings("""
        import subprocess

        SHELL = True

        def listing(path):
            return subprocess.check_output("ls " + path, shell=SHELL)
    """) == [("SR201", 7)]


def test_local_shadowing_of_an_import_is_respected():
    assert (
        findings("""
        import os

        def run(host):
            os = FakeOs()
            os.system("ping " + host)
    """)
        == []
    )


def test_functions_see_module_names_defined_after_them():
    assert (
        findings("""
        def listing():
            return run(CMD, shell=True)

        from subprocess import run
        CMD = "ls -l"
    """)
        == []
    )


def test_module_constant_reassigned_later_is_not_trusted():
    assert findings("""
        import os

        CMD = "uptime"

        def configure(value):
            global CMD
            CMD = value

        def report():
            os.system(CMD)
    """) == [("SR202", 11)]


def test_relative_import_resolves_within_the_package():
    result = analyze_source(
        "from . import utils\nfrom .utils import run as r\n", "pkg/mod.py", module_name="pkg.mod"
    )
    assert not result.diagnostics


def test_a_mutated_list_is_no_longer_a_constant():
    from secreview.analysis import analyze_source

    code = (
        "import subprocess\n\n\n"
        "def run(extra):\n"
        "    args = ['ls']\n"
        "    args.append(extra)\n"
        "    subprocess.run(' '.join(args), shell=True)\n"
        "    opts = ['-l']\n"
        "    opts[0] = extra\n"
        "    subprocess.run(' '.join(opts), shell=True)\n"
        "    fixed = ['ls', '-l']\n"
        "    subprocess.run(' '.join(fixed), shell=True)\n"
    )
    result = analyze_source(code, "tool/listing.py")
    assert [(f.rule_id, f.line) for f in result.findings] == [("SR201", 7), ("SR201", 10)]
