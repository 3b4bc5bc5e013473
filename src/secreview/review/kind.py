"""What kind of code was reviewed, from the packages each file imports."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from secreview.findings import FileResult

OPENSTACK = frozenset(
    {
        "nova",
        "neutron",
        "cinder",
        "glance",
        "keystone",
        "keystoneauth1",
        "keystonemiddleware",
        "swift",
        "heat",
        "ironic",
        "manila",
        "octavia",
        "designate",
        "barbican",
        "placement",
        "magnum",
        "trove",
        "zaqar",
        "aodh",
        "ceilometer",
        "horizon",
        "tempest",
        "oslotest",
        "novaclient",
        "neutron_lib",
    }
)
WSGI = frozenset({"webob", "routes", "paste", "pecan", "wsme", "wsgiref"})
CLI = frozenset({"argparse", "click", "typer", "docopt", "fire", "optparse", "cliff"})
UNITTEST = frozenset({"unittest", "testtools", "fixtures", "oslotest", "testscenarios"})

# Web frameworks, most specific first: (packages, kind).
FRAMEWORKS: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"flask"}), "Flask application"),
    (frozenset({"django", "rest_framework"}), "Django app"),
    (frozenset({"fastapi"}), "FastAPI service"),
    (frozenset({"starlette"}), "Starlette service"),
    (frozenset({"aiohttp"}), "aiohttp service"),
    (frozenset({"tornado"}), "Tornado application"),
    (frozenset({"pyramid"}), "Pyramid application"),
    (frozenset({"bottle"}), "Bottle application"),
    (frozenset({"falcon"}), "Falcon API"),
)
LIBRARY = "library"


def _is_openstack(hints: frozenset[str]) -> bool:
    return any(h in OPENSTACK or h.startswith("oslo") for h in hints)


def file_kind(result: FileResult) -> str:
    """The kind of one file: a framework, an OpenStack API, a test module, a CLI, a library."""
    hints = result.framework_hints
    if result.test_code:
        if _is_openstack(hints):
            parts = result.path.replace("\\", "/").split("/")
            if "functional" in parts:
                return "OpenStack functional test module"
            return "OpenStack test module"
        if "pytest" in hints:
            return "pytest test module"
        if hints & UNITTEST:
            return "unittest test module"
        return "pytest test module" if _pytest_named(result.path) else "test module"
    for packages, kind in FRAMEWORKS:
        if hints & packages:
            return kind
    if _is_openstack(hints):
        return "OpenStack WSGI API" if hints & WSGI else "OpenStack service"
    if hints & WSGI:
        return "WSGI application"
    if hints & CLI:
        return "CLI tool"
    return LIBRARY


def _pytest_named(path: str) -> bool:
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"


def code_kinds(results: Iterable[FileResult]) -> tuple[tuple[str, int], ...]:
    """Each kind of code with its number of files, the application kinds first.

    Plain modules of a project that has a web framework or an OpenStack API are counted with
    it ("Flask application (3 files)", not "Flask application (1 file), library (2 files)").
    """
    app: Counter[str] = Counter()
    tests: Counter[str] = Counter()
    for result in results:
        if result.diagnostics and not result.examined:
            continue  # not analysed: nothing to say about it
        (tests if result.test_code else app)[file_kind(result)] += 1
    frameworks = [k for k in app if k not in (LIBRARY, "CLI tool")]
    if frameworks and app[LIBRARY]:
        main = min(frameworks, key=_priority)
        app[main] += app.pop(LIBRARY)
    ordered_app = sorted(app.items(), key=lambda item: (_priority(item[0]), item[0]))
    ordered_tests = sorted(tests.items(), key=lambda item: (-item[1], item[0]))
    return (*ordered_app, *ordered_tests)


_ORDER = [kind for _, kind in FRAMEWORKS] + [
    "OpenStack WSGI API",
    "OpenStack service",
    "WSGI application",
    "CLI tool",
    LIBRARY,
]


def _priority(kind: str) -> int:
    return _ORDER.index(kind) if kind in _ORDER else len(_ORDER)


def describe_kinds(kinds: tuple[tuple[str, int], ...]) -> str:
    if not kinds:
        return "nothing that could be read"
    return ", ".join(f"{kind} ({n} file{'s' if n != 1 else ''})" for kind, n in kinds)
