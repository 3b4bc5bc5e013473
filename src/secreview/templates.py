"""Template files in a scan: read each one (secreview/parsing/templates.py), and link the views
that render them by a constant name to what they print unescaped.

A template's `{{ x|safe }}` (or `{{ x }}` inside `{% autoescape false %}`) is harmless until a
view fills `x` with request data. The models name the calls that render a template file by
name and where their context is (`[[template_render]]`: Flask's keyword arguments, Django's
context dict, aiohttp_jinja2's). For every render call of a constant name the data-flow solver
sees, each unescaped output of that template (and of the templates it extends or includes)
becomes a sink of the context variable it prints, located in the template file: the finding
points at the `{{ ... }}` and its trace runs through the Python code to the render call.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from secreview.engine.ir import ModuleIR
from secreview.findings import Confidence, Diagnostic, FileResult, Finding, Fix, Severity
from secreview.models import TEMPLATE_RAW_KEY, ModelSet, SinkModel, TemplateRender
from secreview.parsing.templates import (
    TEMPLATE_DIRECTORIES,
    TEMPLATE_SUFFIXES,
    TemplateInfo,
    UnescapedOutput,
    analyse_template,
)
from secreview.suppression import apply_suppressions, parse_comment

if TYPE_CHECKING:
    from secreview.rules.base import Rule

TEMPLATE_OUTPUT = "TemplateOutput"  # the concept of the sinks made here
MAX_PULL_DEPTH = 16  # extends/include chains followed this deep
MAX_TEMPLATE_SINKS = 20_000  # sinks made for one scan, at most


def is_template_file(path: str) -> bool:
    """A file read as a template: by its suffix (discovery finds them below `templates`)."""
    return path.lower().endswith(TEMPLATE_SUFFIXES)


def is_html_template(path: str) -> bool:
    """Whether what the template prints is HTML: not a `.txt` template (an e-mail body or
    subject, a plain-text export), whose unescaped output is the intended one."""
    return not path.lower().endswith(".txt")


def template_result(
    text: str,
    display: str,
    relpath: str,
    test_code: bool,
    rules: Iterable[type[Rule]] = (),
    inline_ignores: bool = True,
) -> FileResult:
    """A template file's result: what it prints unescaped kept for the solver in `template`,
    and as findings the outputs that print request data the template reads itself
    (`{{ request.args.q|safe }}`), which no view's flow shows."""
    if "\x00" in text[:8192]:
        return FileResult(
            display,
            diagnostics=[
                Diagnostic(
                    display, "binary", "contains NUL bytes, looks like a binary file; not analysed"
                )
            ],
            analysed=False,
        )
    info = analyse_template(text)
    result = FileResult(
        display, lines=text.count("\n") + 1, test_code=test_code, dialect="template"
    )
    result.relpath = relpath
    result.template = info
    if info.truncated:
        result.diagnostics.append(
            Diagnostic(display, "analysis-bound", "too many template tags; read in part")
        )
    rule = next((r for r in rules if TEMPLATE_OUTPUT in getattr(r, "concepts", ())), None)
    if rule is None or not is_html_template(display):
        return result
    lines = text.splitlines()
    findings = [
        _request_read(rule, output, display, lines, test_code)
        for output in info.outputs
        if output.request
    ]
    comments = [found for line, written in info.comments for found in parse_comment(written, line)]
    if inline_ignores and comments:
        from secreview.rules import foreign_id_map  # the rules import this module

        spans = {f: (f.line, f.end_line) for f in findings}
        findings, result.suppressed = apply_suppressions(
            findings, spans, comments, foreign_id_map()
        )
        result.stale_suppressions = [(c.line, c.text) for c in comments if not c.used]
    result.findings = findings
    return result


def _request_read(
    rule: type[Rule], output: UnescapedOutput, path: str, lines: list[str], test_code: bool
) -> Finding:
    how = "|safe" if output.why == "safe-filter" else "autoescape off"
    return Finding(
        rule_id=rule.id,
        slug=rule.slug,
        cwe=rule.cwe,
        path=path,
        line=output.line,
        col=output.col,
        end_line=output.end_line,
        end_col=output.end_col,
        severity=Severity.LOW if test_code and rule.in_tests == "lower" else rule.severity,
        confidence=Confidence.HIGH,
        message=(
            f"the template prints {output.request} (remote input) unescaped ({how}) in "
            f"`{output.text}`: the framework puts the request in every template's context"
        ),
        snippet="\n".join(lines[output.line - 1 : min(output.end_line, output.line + 2)]),
        fix=Fix(rule.fix_text()),
        evidence="request data read in the template",
        test_code=test_code,
    )


def template_names(path: str) -> list[str]:
    """The names a template is rendered by: its path below each `templates` directory
    (`blog/templates/blog/post.html` is `blog/post.html`)."""
    parts = PurePosixPath(path.replace("\\", "/")).parts
    return [
        "/".join(parts[index + 1 :])
        for index, part in enumerate(parts[:-1])
        if part in TEMPLATE_DIRECTORIES
    ]


def _rendered_names(modules: Iterable[ModuleIR], renders: dict[str, TemplateRender]) -> set[str]:
    """The constant template names the project's render calls pass."""
    names: set[str] = set()
    for module in modules:
        for function in module.functions.values():
            for site in function.calls:
                render = renders.get(site.callee or "")
                if render is None:
                    continue
                for key in (*render.name_keys(), TEMPLATE_RAW_KEY):
                    value = site.const_kwargs.get(key)
                    if isinstance(value, str):
                        names.add(value)
    return names


def template_models(
    results: list[FileResult], modules: list[ModuleIR], models: ModelSet
) -> ModelSet | None:
    """Sinks for the unescaped outputs of the templates the project renders, or None."""
    renders = models.template_renders
    templates: dict[str, list[tuple[str, TemplateInfo]]] = {}
    for result in results:
        info = result.template
        if info is None:
            continue
        for name in {*template_names(result.relpath or result.path), *info.names}:
            templates.setdefault(name, []).append((result.path, info))
    if not templates or not renders:
        return None
    extra = ModelSet()
    made = 0
    for name in sorted(_rendered_names(modules, renders)):
        for path, output in _outputs(name, templates):
            # A raw render (an environment that escapes nothing) prints every output raw; the
            # others print raw only what the template marks so.
            raw_only = output.why == "environment"
            for render in renders.values():
                keys = render.name_keys() if not raw_only else ()
                if render.name_from_receiver:
                    keys = (*keys, TEMPLATE_RAW_KEY)
                if not keys:
                    continue
                keywords = tuple(
                    keyword
                    for variable in output.names
                    for keyword in render.context_keywords(variable)
                )
                description = _describe(name, path, output)
                at = (path, output.line, output.col, output.end_line, output.end_col, output.text)
                for when in keys:
                    extra.sinks.setdefault(render.call, []).append(
                        SinkModel(
                            call=render.call,
                            cwe=79,
                            concept=TEMPLATE_OUTPUT,
                            keywords=keywords,
                            when_kwarg=when,
                            when_values=(name,),
                            when_exact=True,
                            description=description,
                            kinds=frozenset({"remote"}),
                            at=at,
                        )
                    )
                    made += 1
                    if made >= MAX_TEMPLATE_SINKS:
                        return extra
    return extra if made else None


def _describe(name: str, path: str, output: UnescapedOutput) -> str:
    how = _HOW.get(output.why, "autoescape off")
    variables = ", ".join(f"`{n}`" for n in output.names[:3])
    if len(output.names) > 3:
        variables += ", …"
    shown = PurePosixPath(path).name
    which = name if path.endswith(name) else f"{shown} (pulled in by {name})"
    return f"{variables}, which {which} prints unescaped ({how})"


_HOW = {
    "safe-filter": "|safe",
    "autoescape-off": "autoescape off",
    "environment": "the Jinja2 environment that renders it does not escape",
}


def _outputs(name: str, templates: dict[str, list[tuple[str, TemplateInfo]]]):  # type: ignore[no-untyped-def]
    """The unescaped outputs of template `name` and of the templates it pulls in, with the
    path of the file each is in."""
    seen: set[str] = set()
    pending = [(name, 0)]
    while pending:
        current, depth = pending.pop()
        if current in seen or depth > MAX_PULL_DEPTH:
            continue
        seen.add(current)
        for path, info in templates.get(current, ()):
            if is_html_template(path):
                for output in info.outputs:
                    yield path, output
                for output in info.engine_outputs:
                    yield path, output
            pending.extend((pulled, depth + 1) for pulled, _ in info.pulls)
