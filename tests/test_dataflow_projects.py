"""Data flow across modules in realistic multi-file projects, with their safe twins.

Each vulnerable project asserts the finding's sink, its source and every step of the trace in
between; each `<name>_safe` twin (sanitised, allow-listed or converted input) must be silent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from secreview.analysis import scan
from secreview.config import Config
from secreview.findings import Finding

PROJECTS = Path(__file__).parent / "fixtures" / "projects"


def _scan(name: str) -> list[Finding]:
    root = PROJECTS / name
    result = scan([root], Config(root=root), jobs=1)
    assert not result.all_diagnostics, [d.one_line() for d in result.all_diagnostics]
    return result.findings


def _rel(path: str) -> str:
    return path.split("/projects/", 1)[1].split("/", 1)[1]


def _trace(finding: Finding) -> list[tuple[str, str, int]]:
    return [(step.kind, _rel(step.path), step.line) for step in finding.trace]


def _flows(findings: list[Finding]) -> dict[tuple[str, int], Finding]:
    return {(_rel(f.path), f.line): f for f in findings if f.rule_id.startswith("SR9")}


def test_flask_flows_through_attributes_decorators_and_containers():
    findings = _scan("flask_shop")
    flows = _flows(findings)
    assert list(flows) == [("shop/utils/shell.py", 5)]
    finding = flows["shop/utils/shell.py", 5]
    assert (finding.rule_id, finding.cwe, str(finding.severity)) == ("SR901", 78, "critical")
    # The route parameter reaches the shell through ArchiveJob's attribute…
    assert _trace(finding) == [
        ("source", "shop/app.py", 30),
        ("call", "shop/app.py", 31),
        ("step", "shop/services/archive.py", 19),
        ("call", "shop/services/archive.py", 22),
        ("sink", "shop/utils/shell.py", 5),
    ]
    # …and request.args reaches it through a dict, an f-string and a helper in another module.
    assert "and 1 more source" in finding.message
    assert "SR201" not in {f.rule_id for f in findings}  # the proven flow replaces the pattern


def test_flask_twin_with_allow_list_and_quoting_is_clean():
    assert _scan("flask_shop_safe") == []


def test_django_url_kwarg_and_post_body_reach_the_shell():
    flows = _flows(_scan("django_netops"))
    assert sorted(flows) == [("netops/diagnostics.py", 11), ("netops/diagnostics.py", 16)]
    ping = flows["netops/diagnostics.py", 11]
    assert _trace(ping) == [
        ("source", "netops/views.py", 7),
        ("call", "netops/views.py", 9),
        ("step", "netops/diagnostics.py", 7),
        ("step", "netops/diagnostics.py", 10),
        ("sink", "netops/diagnostics.py", 11),
    ]
    assert "URL parameter `host` of view ping()" in ping.message
    trace = flows["netops/diagnostics.py", 16]
    assert _trace(trace) == [
        ("source", "netops/views.py", 15),
        ("step", "netops/views.py", 15),
        ("call", "netops/views.py", 16),
        ("step", "netops/diagnostics.py", 15),
        ("sink", "netops/diagnostics.py", 16),
    ]
    assert trace.message.startswith("request.POST (remote input")


def test_django_twin_with_conversion_and_argument_list_is_clean():
    assert _scan("django_netops_safe") == []


def test_fastapi_route_parameters_and_request_body():
    flows = _flows(_scan("fastapi_media"))
    assert sorted(flows) == [("media/tasks.py", 9), ("media/tasks.py", 15)]
    assert _trace(flows["media/tasks.py", 9]) == [
        ("source", "media/main.py", 9),
        ("call", "media/main.py", 10),
        ("step", "media/tasks.py", 8),
        ("sink", "media/tasks.py", 9),
    ]
    assert "parameter `src`" in flows["media/tasks.py", 9].message
    assert _trace(flows["media/tasks.py", 15])[0] == ("source", "media/main.py", 16)
    assert "request.json()" in flows["media/tasks.py", 15].message


def test_fastapi_twin_typed_int_and_quoted_values_are_clean():
    # `width: int` is converted by FastAPI before the view runs; it is never a finding.
    assert _scan("fastapi_media_safe") == []


def test_openstack_controller_through_manager_attribute():
    flows = _flows(_scan("wsgi_compute"))
    assert list(flows) == [("compute/utils.py", 5)]
    finding = flows["compute/utils.py", 5]
    assert _trace(finding) == [
        ("source", "compute/api/servers.py", 22),
        ("call", "compute/api/servers.py", 24),
        ("call", "compute/manager.py", 14),
        ("sink", "compute/utils.py", 5),
    ]
    assert "`id` of controller method rescue()" in finding.message
    assert "and 1 more source(s)" in finding.message  # console_output(), line 16


def test_openstack_twin_with_uuid_and_int_conversion_is_clean():
    assert _scan("wsgi_compute_safe") == []


def test_two_projects_with_the_same_package_names_are_solved_apart():
    both = [PROJECTS / "wsgi_compute", PROJECTS / "wsgi_compute_safe"]
    result = scan(both, Config(root=PROJECTS), jobs=1)
    paths = {_rel(f.path) for f in result.findings if f.rule_id == "SR901"}
    assert paths == {"compute/utils.py"}
    assert all("/wsgi_compute/" in f.path for f in result.findings)


@pytest.mark.parametrize("name", ["flask_shop", "django_netops", "fastapi_media", "wsgi_compute"])
def test_findings_are_deterministic(name):
    first = [(f.path, f.line, f.rule_id, f.message, f.trace) for f in _scan(name)]
    assert first == [(f.path, f.line, f.rule_id, f.message, f.trace) for f in _scan(name)]


def test_django_helper_shaped_like_a_view_takes_its_parameters_from_its_callers(tmp_path):
    """`def _banner(request, text)` looks like a view by its shape, but the views call it with
    constants: its `text` is not URL input. The view's own URL parameter still is."""
    (tmp_path / "blog").mkdir()
    (tmp_path / "blog" / "__init__.py").write_text("")
    (tmp_path / "blog" / "views.py").write_text(
        "import os\n"
        "\n"
        "from django.http import HttpResponse\n"
        "\n"
        "\n"
        "def _banner(request, text):\n"
        "    os.system('logger ' + text)\n"
        "    return text\n"
        "\n"
        "\n"
        "def article(request, slug):\n"
        "    _banner(request, 'article viewed')\n"
        "    os.system('touch /var/cache/blog/' + slug)\n"
        "    return HttpResponse('ok')\n"
    )
    result = scan([tmp_path], Config(root=tmp_path), jobs=1)
    flows = [(f.rule_id, f.line) for f in result.findings if f.rule_id.startswith("SR9")]
    assert flows == [("SR901", 13)]


def test_traces_do_not_depend_on_string_hashing():
    """The order functions are solved in decides which of several equally short traces is
    shown; it must not vary with Python's per-process hash seed, or reports churn."""

    def report(seed: str) -> dict:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "secreview",
                "scan",
                *sorted(p.name for p in PROJECTS.iterdir()),
                "--format",
                "json",
                "--jobs",
                "1",
                "--include-tests",
            ],
            cwd=PROJECTS,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        found = json.loads(done.stdout)
        del found["seconds"]
        return found

    assert report("1") == report("2")


def test_namespace_package_helper_makes_the_connection():
    # services/ has no __init__.py: `import services.directory` is a namespace package, and
    # its open_connection() is the project's function, whose result has no modelled type.
    flows = _flows(_scan("ns_directory"))
    assert list(flows) == [("app.py", 15)]
    finding = flows["app.py", 15]
    assert (finding.rule_id, finding.cwe) == ("SR911", 90)
    assert _flows(_scan("ns_directory_safe")) == {}
