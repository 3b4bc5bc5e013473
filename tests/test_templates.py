"""Template files: reading Jinja2 and Django templates, finding them, and linking what they
print unescaped to the request data the views render them with (SR931)."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import jsonschema
import pytest

from secreview.analysis import ScanOptions, scan
from secreview.config import Config
from secreview.discovery import discover
from secreview.findings import Finding
from secreview.parsing.templates import analyse_template, expression_names, filters_of

PROJECTS = Path(__file__).parent / "fixtures" / "projects"
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


def _outputs(text: str) -> list[tuple[int, int, tuple[str, ...], str]]:
    return [(o.line, o.col, o.names, o.why) for o in analyse_template(text).outputs]


# -- the tokenizer ------------------------------------------------------------------------------


def test_safe_filter_is_an_unescaped_output_with_its_position():
    text = "<h1>{{ title }}</h1>\n  <div>{{ bio|safe }}</div>\n{{- note | safe -}}\n"
    assert _outputs(text) == [(2, 7, ("bio",), "safe-filter"), (3, 0, ("note",), "safe-filter")]


def test_autoescape_blocks_in_both_languages():
    text = (
        "{% autoescape false %}{{ a }}{{ b|e }}{% endautoescape %}{{ c }}\n"
        "{% autoescape off %}{{ d }}{% autoescape on %}{{ e }}{% endautoescape %}{{ f }}"
        "{% endautoescape %}{{ g }}\n"
    )
    assert [(o[2], o[3]) for o in _outputs(text)] == [
        (("a",), "autoescape-off"),
        (("d",), "autoescape-off"),
        (("f",), "autoescape-off"),
    ]
    info = analyse_template(text)
    assert [(line, col) for line, col, _ in info.autoescape_off] == [(1, 0), (2, 0)]


def test_escaping_filters_after_safe_and_constants_are_not_outputs():
    text = '{{ x|safe|e }} {{ "<br>"|safe }} {{ y|safe|escape }} {{ z|tojson|safe }}'
    assert _outputs(text) == [(1, 53, ("z",), "safe-filter")]


def test_loop_with_and_set_names_lead_back_to_the_context_variable():
    text = (
        "{% for c in comments %}{{ c.text|safe }}{% endfor %}"
        "{% with t=title %}{{ t|safe }}{% endwith %}"
        "{% set shown = intro ~ extra %}{{ shown|safe }}"
        "{{ post.body|default(fallback)|safe }}"
    )
    assert [o[2] for o in _outputs(text)] == [
        ("comments",),
        ("title",),
        ("intro", "extra"),
        ("post", "fallback"),
    ]


def test_comments_raw_and_verbatim_blocks_are_not_read():
    text = (
        "{# {{ a|safe }} #}{% raw %}{{ b|safe }}{% endraw %}"
        "{% verbatim %}{{ c|safe }}{% endverbatim %}"
        "{% comment %}{{ d|safe }}{% endcomment %}{{ e|safe }}"
    )
    assert [o[2] for o in _outputs(text)] == [("e",)]


def test_templates_pulled_in_by_a_constant_name():
    text = "{% extends 'base.html' %}{% include \"part.html\" %}{% include name %}"
    assert analyse_template(text).pulls == [("base.html", 1), ("part.html", 1)]


def test_broken_templates_are_read_as_far_as_they_go():
    assert _outputs("{{ a|safe }} {{ b|safe") == [(1, 0, ("a",), "safe-filter")]
    assert _outputs("{% autoescape off %}{{ a }}") == [(1, 20, ("a",), "autoescape-off")]
    assert _outputs("{% endautoescape %}{% endfor %}{{ a|safe }}") == [
        (1, 31, ("a",), "safe-filter")
    ]
    assert _outputs("") == []


def test_hostile_templates_are_read_in_linear_time():
    for text in (
        "{{" * 200_000,
        "{%" * 200_000,
        "{{ x|safe }}\n" * 50_000,
        "{" * 400_000,
        "{{ " + "a " * 200_000 + "|safe }}",
        "{% for " + "a, " * 100_000 + "b in c %}{{ a|safe }}",
    ):
        started = time.perf_counter()
        analyse_template(text)
        assert time.perf_counter() - started < 5


def test_expression_helpers():
    assert filters_of('x|default("a|b")|safe') == ("x", ["default", "safe"])
    assert filters_of("x or y") == ("x or y", [])
    assert expression_names("user.name ~ loop.index if flag is defined else none") == [
        "user",
        "flag",
    ]


# -- discovery ----------------------------------------------------------------------------------


def test_template_files_are_found_below_templates_directories_only(tmp_path, write):
    write("app/views.py", "")
    write("app/templates/page.html", "")
    write("app/templates/mail/welcome.txt", "")
    write("app/templates/macros.j2", "")
    write("app/templates/logo.png", "")
    write("app/static/index.html", "")
    write("app/notes.txt", "")
    found = discover([tmp_path], [])
    names = sorted(Path(f.path).relative_to(tmp_path).as_posix() for f in found.files)
    assert names == [
        "app/templates/macros.j2",
        "app/templates/mail/welcome.txt",
        "app/templates/page.html",
        "app/views.py",
    ]


def test_template_discovery_keeps_the_scan_bounds(tmp_path, write):
    write("site/app/templates/page.html", "{{ x|safe }}")
    write("site/legacy/templates/old.html", "{{ x|safe }}")
    write("outside/templates/secret.html", "{{ x|safe }}")
    (tmp_path / "site/app/templates/linked.html").symlink_to(
        tmp_path / "outside/templates/secret.html"
    )
    write("site/app/templates/huge.html", "{{ x }}\n" * 2000)
    root = tmp_path / "site"
    config = Config(root=root, exclude=["legacy"], max_file_size=4096)
    result = scan([root], config, jobs=1)
    paths = sorted(Path(r.path).relative_to(root).as_posix() for r in result.files)
    assert paths == ["app/templates/huge.html", "app/templates/page.html"]
    kinds = {(Path(d.path).name, d.kind) for d in result.all_diagnostics}
    assert ("huge.html", "too-large") in kinds
    assert ("linked.html", "outside-link") in kinds


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_like_a_template_is_never_opened(tmp_path, write):
    write("app/views.py", "")
    (tmp_path / "app/templates").mkdir()
    os.mkfifo(tmp_path / "app/templates/x.html")
    result = scan([tmp_path], Config(root=tmp_path), jobs=1)  # returns: the FIFO is not opened
    assert [Path(d.path).name for d in result.all_diagnostics] == ["x.html"]


# -- linking views to templates: the fixture projects ---------------------------------------------


def _scan(root: Path) -> list[Finding]:
    result = scan([root], Config(root=root), jobs=1)
    assert not result.all_diagnostics, [d.one_line() for d in result.all_diagnostics]
    return result.findings


def _rel(path: str, root: Path) -> str:
    return Path(os.path.relpath(path, root)).as_posix()


def _where(finding: Finding, root: Path) -> tuple[str, str, int, int, int]:
    return (
        finding.rule_id,
        _rel(finding.path, root),
        finding.line,
        finding.col,
        finding.cwe,
    )


def _trace(finding: Finding, root: Path) -> list[tuple[str, str, int]]:
    return [(s.kind, _rel(s.path, root), s.line) for s in finding.trace]


def test_flask_blog_findings_point_into_the_templates():
    root = PROJECTS / "flask_blog"
    findings = [f for f in _scan(root) if f.rule_id == "SR931"]
    assert sorted(_where(f, root) for f in findings) == [
        ("SR931", "blog/admin/templates/admin/banner.html", 1, 20, 79),
        ("SR931", "blog/admin/templates/admin/notice.html", 1, 20, 79),
        ("SR931", "blog/templates/posts/preview.html", 4, 4, 79),
        ("SR931", "blog/templates/posts/preview.html", 5, 19, 79),
        ("SR931", "blog/templates/posts/show.html", 9, 34, 79),
    ]
    assert all(str(f.severity) == "high" and str(f.confidence) == "high" for f in findings)
    by_place = {(Path(f.path).name, f.line): f for f in findings}
    title = by_place["preview.html", 4]
    assert _trace(title, root) == [
        ("source", "blog/views.py", 24),
        ("call", "blog/views.py", 24),
        ("return", "blog/markup.py", 5),
        ("step", "blog/views.py", 24),
        ("step", "blog/views.py", 26),
        ("sink", "blog/templates/posts/preview.html", 4),
    ]
    assert "which posts/preview.html prints unescaped (autoescape off)" in title.message
    assert title.snippet == "<h2>{{ title }}</h2>"
    notice = by_place["notice.html", 1]
    assert "render_template('admin/notice.html', **context)" in notice.trace[-2].description


def test_flask_blog_safe_twin_is_silent():
    assert _scan(PROJECTS / "flask_blog_safe") == []


def test_django_board_findings_point_into_the_templates():
    root = PROJECTS / "django_board"
    findings = [f for f in _scan(root) if f.rule_id == "SR931"]
    assert sorted(_where(f, root) for f in findings) == [
        ("SR931", "board/templates/board/preview.html", 4, 21, 79),
        ("SR931", "board/templates/board/preview.html", 5, 21, 79),
        ("SR931", "board/templates/board/widget.html", 1, 23, 79),
        ("SR931", "templates/base.html", 4, 20, 79),
    ]
    base = next(f for f in findings if f.path.endswith("base.html"))
    assert "base.html (pulled in by board/index.html)" in base.message
    assert _trace(base, root) == [
        ("source", "board/views.py", 12),
        ("step", "board/views.py", 12),
        ("step", "board/views.py", 13),
        ("sink", "templates/base.html", 4),
    ]


def test_django_board_safe_twin_is_silent():
    assert _scan(PROJECTS / "django_board_safe") == []


def test_a_safe_variable_beside_request_data_in_the_same_context_is_not_reported(tmp_path, write):
    write(
        "shop/views.py",
        """\
        from django.shortcuts import render


        def card(request):
            return render(request, "card.html", {"note": "fixed", "name": request.GET["name"]})
        """,
    )
    write(
        "shop/pages.py",
        """        import aiohttp_jinja2
        from aiohttp import web

        routes = web.RouteTableDef()


        @routes.get("/page")
        async def page(request: web.Request) -> web.Response:
            query = request.query.get("q", "")
            return aiohttp_jinja2.render_template("page.html", request, {"q": query, "n": 1})
        """,
    )
    write("shop/templates/card.html", "{{ note|safe }} {{ name }}")
    write("shop/templates/page.html", "{% autoescape false %}{{ n }} {{ q }}{% endautoescape %}")
    findings = _scan(tmp_path)
    assert [(Path(f.path).name, f.line, f.col, f.rule_id) for f in findings] == [
        ("page.html", 1, 30, "SR931")
    ]


def test_a_template_no_request_data_reaches_gives_nothing(tmp_path, write):
    write(
        "app.py",
        """\
        from flask import Flask, render_template

        app = Flask(__name__)
        FOOTER = "<em>Powered by us</em>"


        @app.route("/")
        def home():
            return render_template("home.html", footer=FOOTER)
        """,
    )
    write(
        "templates/home.html",
        "{{ footer|safe }}{% autoescape false %}{{ footer }}{% endautoescape %}",
    )
    assert _scan(tmp_path) == []


# -- template directories the project configures -------------------------------------------------


CONFIGURED = {
    "shop/app.py": """\
        from flask import Flask, render_template, request
        from jinja2 import Environment, FileSystemLoader, select_autoescape

        app = Flask(__name__, template_folder="views")
        mail = Environment(loader=FileSystemLoader("mail_templates"), autoescape=select_autoescape())


        @app.route("/hello")
        def hello():
            return render_template("hello.jinja", name=request.args["name"])
        """,
    "shop/views/hello.jinja": "<p>{{ name|safe }}</p>\n",
    "site/mysite/settings.py": """\
        from pathlib import Path

        BASE_DIR = Path(__file__).resolve().parent.parent
        TEMPLATES = [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [BASE_DIR / "frontend"],
            }
        ]
        """,
    "site/mysite/views.py": """\
        from django.template.response import TemplateResponse


        def about(request):
            return TemplateResponse(request, "pages/about.html", {"motto": request.POST["m"]})
        """,
    "site/frontend/pages/about.html": "{% autoescape off %}\n<h2>{{ motto }}</h2>\n{% endautoescape %}\n",
}


def test_configured_template_directories_are_read(tmp_path, write):
    for relpath, text in CONFIGURED.items():
        write(relpath, text)
    findings = _scan(tmp_path)
    assert sorted((Path(f.path).relative_to(tmp_path).as_posix(), f.line) for f in findings) == [
        ("shop/views/hello.jinja", 1),
        ("site/frontend/pages/about.html", 2),
    ]


def test_configured_directories_outside_the_scanned_path_are_not_read(tmp_path, write):
    for relpath, text in CONFIGURED.items():
        write(relpath, text)
    result = scan([tmp_path / "site/mysite"], Config(root=tmp_path), jobs=1)
    assert result.findings == []
    assert all("frontend" not in r.path for r in result.files)


def test_configured_directories_keep_the_cache_correct(tmp_path, write):
    for relpath, text in CONFIGURED.items():
        write(relpath, text)
    config = Config(root=tmp_path)
    cold = [_key(f) for f in scan([tmp_path], config, jobs=1).findings]
    warm = [_key(f) for f in scan([tmp_path], config, ScanOptions(cache=True), jobs=1).findings]
    assert warm == cold
    (tmp_path / "shop/views/hello.jinja").write_text("<p>{{ name }}</p>\n", encoding="utf-8")
    again = scan([tmp_path], config, ScanOptions(cache=True), jobs=1).findings
    assert [Path(f.path).name for f in again] == ["about.html"]


def _key(finding: Finding) -> tuple[str, int, str]:
    return (finding.path, finding.line, finding.rule_id)


# -- reports ------------------------------------------------------------------------------------


@pytest.fixture
def blog(tmp_path):
    root = tmp_path / "blog_project"
    shutil.copytree(PROJECTS / "flask_blog", root, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_text_report_names_the_template(blog, run_cli):
    code, out, _ = run_cli("scan", str(blog), "--format", "text")
    assert code == 1
    assert "blog/templates/posts/show.html" in out
    assert "9:35  SR931 [high] CWE-79" in out
    assert "rendered by `render_template('posts/show.html'" in out


def test_json_report_names_the_template(blog, run_cli):
    _, out, _ = run_cli("scan", str(blog), "--format", "json")
    findings = [f for f in json.loads(out)["findings"] if f["rule_id"] == "SR931"]
    show = next(f for f in findings if f["path"].endswith("show.html"))
    assert show["path"].endswith("blog/templates/posts/show.html")
    assert (show["line"], show["cwe"]) == (9, 79)
    assert show["trace"][0]["path"].endswith("blog/views.py")
    assert show["trace"][-1]["path"].endswith("show.html")


def test_sarif_report_names_the_template(blog, run_cli):
    _, out, _ = run_cli("scan", str(blog), "--format", "sarif", "--quiet")
    document = json.loads(out)
    jsonschema.Draft7Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(
        document
    )
    results = [r for r in document["runs"][0]["results"] if r["ruleId"] == "SR931"]
    uris = sorted(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results)
    assert len(uris) == 5
    assert all("/templates/" in uri for uri in uris)
    show = next(
        r
        for r in results
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("show.html")
    )
    assert show["locations"][0]["physicalLocation"]["region"]["startLine"] == 9
    steps = show["codeFlows"][0]["threadFlows"][0]["locations"]
    first = steps[0]["location"]["physicalLocation"]["artifactLocation"]["uri"]
    assert first.endswith("blog/views.py")


def test_a_comment_in_the_template_suppresses_its_finding(tmp_path, write):
    write(
        "app.py",
        """\
        from flask import Flask, render_template, request

        app = Flask(__name__)


        @app.route("/")
        def home():
            return render_template("home.html", bio=request.args["bio"])
        """,
    )
    write(
        "templates/home.html",
        """\
        <div>{{ bio|safe }}</div> {# secreview: ignore[SR931] -- cleaned by the CMS proxy #}
        <div>{{ bio|safe }}</div>
        <p>{# secreview: ignore[SR931] -- nothing to hide here #}</p>
        """,
    )
    result = scan([tmp_path], Config(root=tmp_path), jobs=1)
    assert [(Path(f.path).name, f.line) for f in result.findings] == [("home.html", 2)]
    assert [(Path(f.path).name, f.line, kind) for f, kind in result.suppressed] == [
        ("home.html", 1, "secreview")
    ]
    assert [(Path(p).name, line) for p, line, _ in result.stale_suppressions] == [("home.html", 3)]
    quiet = scan([tmp_path], Config(root=tmp_path), ScanOptions(inline_ignores=False), jobs=1)
    assert [f.line for f in quiet.findings] == [1, 2]


def test_request_data_the_template_reads_itself(tmp_path, write):
    write(
        "shop/templates/search.html",
        """\
        <h1>Results for {{ request.args.q|safe }}</h1>
        <p>{{ request.args.q }}</p>
        {% autoescape off %}<a href="{{ request.GET.next }}">back</a>{% endautoescape %}
        """,
    )
    findings = scan([tmp_path], Config(root=tmp_path), jobs=1).findings
    assert [
        (_rel(f.path, tmp_path), f.line, f.col, f.rule_id, f.cwe, str(f.severity)) for f in findings
    ] == [
        ("shop/templates/search.html", 1, 16, "SR931", 79, "high"),
        ("shop/templates/search.html", 3, 29, "SR931", 79, "high"),
    ]
    assert "prints request.args (remote input) unescaped (|safe)" in findings[0].message


def test_text_templates_are_not_html(tmp_path, write):
    write(
        "accounts/views.py",
        """\
        from django.template.loader import render_to_string


        def reset_mail(request):
            return render_to_string("mail/reset.txt", {"host": request.get_host()})
        """,
    )
    write(
        "accounts/templates/mail/reset.txt",
        "{% autoescape off %}https://{{ host }}/reset{% endautoescape %}\n",
    )
    write("accounts/templates/mail/subject.txt", "{{ request.GET.name|safe }}\n")
    assert _scan(tmp_path) == []


def test_template_directories_no_file_system_takes_are_skipped(tmp_path, write):
    write(
        "app.py",
        f"""\
        from flask import Flask
        from jinja2 import FileSystemLoader

        app = Flask(__name__, template_folder="views\\x00x")
        admin = Flask(__name__, template_folder="{"n" * 300}")
        loader = FileSystemLoader(["{"y/" * 3000}", "../../../../etc", "/etc", "\\udcff"])
        """,
    )
    result = scan([tmp_path], Config(root=tmp_path), jobs=1)
    assert [r.path for r in result.files] == [str(tmp_path / "app.py")]
    assert not result.all_diagnostics
