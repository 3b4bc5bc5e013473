"""SR304: XML parsers that resolve external entities or expand entities without limits."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secreview.findings import Confidence, Fix, Severity
from secreview.parsing.names import NOT_CONSTANT, BindingKind
from secreview.rules.base import leaves_of
from secreview.rules.common import short_source
from secreview.rules.deserialization._shared import (
    TrackingRule,
    call_with_new_func,
    fixed_source,
)
from secreview.rules.fixes import module_reference

if TYPE_CHECKING:
    from secreview.engine.walker import Walker

_ET = ("xml.etree.ElementTree", "xml.etree.cElementTree")

# Stdlib parse functions: qualified name -> (defusedxml module, function, data keyword).
STDLIB_PARSE: dict[str, tuple[str | None, str, str]] = {
    **{f"{m}.parse": ("defusedxml.ElementTree", "parse", "source") for m in _ET},
    **{f"{m}.iterparse": ("defusedxml.ElementTree", "iterparse", "source") for m in _ET},
    **{f"{m}.fromstring": ("defusedxml.ElementTree", "fromstring", "text") for m in _ET},
    **{f"{m}.XML": ("defusedxml.ElementTree", "XML", "text") for m in _ET},
    **{f"{m}.fromstringlist": (None, "fromstringlist", "sequence") for m in _ET},
    "xml.dom.minidom.parse": ("defusedxml.minidom", "parse", "file"),
    "xml.dom.minidom.parseString": ("defusedxml.minidom", "parseString", "string"),
    "xml.dom.pulldom.parse": ("defusedxml.pulldom", "parse", "stream_or_string"),
    "xml.dom.pulldom.parseString": ("defusedxml.pulldom", "parseString", "string"),
    "xml.dom.expatbuilder.parse": ("defusedxml.expatbuilder", "parse", "file"),
    "xml.dom.expatbuilder.parseString": ("defusedxml.expatbuilder", "parseString", "string"),
    "xml.sax.parse": ("defusedxml.sax", "parse", "source"),
    "xml.sax.parseString": ("defusedxml.sax", "parseString", "string"),
    "xmlrpc.client.loads": (None, "loads", "data"),
}
# Stdlib parser objects: the data they get is not visible here; counted, not reported.
STDLIB_CONSTRUCTORS = frozenset(
    {
        *(f"{m}.{c}" for m in _ET for c in ("XMLParser", "XMLPullParser", "XMLTreeBuilder")),
        "xml.sax.make_parser",
        "xml.sax.expatreader.create_parser",
        "xml.parsers.expat.ParserCreate",
    }
)
XMLRPC_SERVERS = frozenset(
    f"xmlrpc.server.{c}"
    for c in (
        "SimpleXMLRPCServer",
        "DocXMLRPCServer",
        "MultiPathXMLRPCServer",
        "CGIXMLRPCRequestHandler",
        "DocCGIXMLRPCRequestHandler",
    )
)
_LX = ("lxml.etree", "lxml.objectify")
LXML_PARSE = frozenset(
    f"{m}.{f}" for m in _LX for f in ("parse", "fromstring", "XML", "fromstringlist")
)
LXML_ITERPARSE = frozenset({"lxml.etree.iterparse"})
# lxml parser classes; True when the class kept resolve_entities=True as its default until
# lxml 6.1.0 (CVE-2026-41066), False when the default became 'internal' in lxml 5.0.
LXML_PARSERS: dict[str, bool] = {
    "lxml.etree.XMLParser": False,
    "lxml.etree.XMLPullParser": False,
    "lxml.objectify.makeparser": False,
    "lxml.etree.ETCompatXMLParser": True,
}
LXML_HTML_PARSERS = frozenset(
    {"lxml.etree.HTMLParser", "lxml.html.HTMLParser", "lxml.etree.HTMLPullParser"}
)
_SAX_FEATURES = frozenset(
    {
        "xml.sax.handler.feature_external_ges",
        "xml.sax.handler.feature_external_pes",
    }
)
_SAX_FEATURE_URIS = frozenset(
    {
        "http://xml.org/sax/features/external-general-entities",
        "http://xml.org/sax/features/external-parameter-entities",
    }
)
_DEFUSED_FUNCS = frozenset(
    {"parse", "fromstring", "XML", "iterparse", "parseString", "make_parser", "create_parser"}
)
# defusedxml.xmlrpc's patch functions (the only defusedxml names ending in `monkey_patch`).
_DEFUSED_PATCHES = frozenset({"monkey_patch", "unmonkey_patch"})


@dataclass(frozen=True, slots=True)
class Risk:
    severity: Severity
    confidence: Confidence
    cwe: int
    reason: str
    explicit: bool  # established by arguments in the code, not by a version-dependent default


class XmlExternalEntities(TrackingRule):
    """Parses XML with a parser that resolves external entities or expands entities unchecked.

    ## What it does
    - **lxml** (`lxml.etree` / `lxml.objectify`): reports a parser built with
      `resolve_entities=True` (high), `no_network=False` while entities may be resolved, or
      `huge_tree=True` with entity expansion (CWE-776), at the parser's construction;
      `iterparse()` and `ETCompatXMLParser()` without `resolve_entities=False`/`'internal'`
      (high severity, medium confidence: they resolved external entities by default until
      lxml 6.1.0, CVE-2026-41066); and `parse`/`fromstring`/`XML` of data that is not
      constant with the default parser (low severity, low confidence: the default parser
      resolved external entities, i.e. read local files, until lxml 5.0, and only expands
      internal entities since).
    - **stdlib** (`xml.etree`, `xml.dom.minidom`/`pulldom`/`expatbuilder`, `xml.sax`,
      `xmlrpc`): expat never fetches external entities for etree/minidom, and `xml.sax` /
      `pulldom` stopped doing so in Python 3.7.1, so these are reported as CWE-776
      (entity expansion, "billion laughs") with low severity and low confidence: expat
      2.4.1+ limits amplification, older or system copies of libexpat do not. Only parse
      calls whose input is not constant are reported; parser objects (`XMLParser()`,
      `make_parser()`) are counted as examined. `xmlrpc.server` servers are reported the
      same way unless the module calls `defusedxml.xmlrpc.monkey_patch()`.
      `parser.setFeature(feature_external_ges, True)` turns external entities back on and
      is reported as CWE-611, high severity, unless the parser is made in the function, used
      nowhere else, and every document it parses is a constant (as the data flow proves:
      a literal, the branch a constant test picks, a dict element under a constant key).
    - `defusedxml.*` calls are counted as examined with the verdict "defusedxml".

    Where a defusedxml function is a drop-in replacement (`xml.etree.ElementTree.fromstring`
    -> `defusedxml.ElementTree.fromstring`, `minidom.parseString`, `sax.parse`, ...) the fix
    is mechanical, with the import added when the module does not have one. In test code
    findings are lowered.

    ## Why is this bad?
    An external entity (`<!ENTITY x SYSTEM "file:///etc/passwd">`) makes the parser read a
    local file or fetch a URL and put its content into the document: file disclosure and
    server-side request forgery from a single uploaded XML document. Nested internal
    entities (`&lol9;` expanding to a billion `lol`s) exhaust memory and CPU.

    ## Example
    ```python
    from lxml import etree

    PARSER = etree.XMLParser(resolve_entities=True)

    def read_manifest(body):
        return etree.fromstring(body, PARSER)
    ```

    ## Use instead
    ```python
    from lxml import etree

    PARSER = etree.XMLParser(resolve_entities=False, no_network=True)

    def read_manifest(body):
        return etree.fromstring(body, PARSER)
    ```
    For the standard library, `defusedxml` has drop-in replacements:
    `defusedxml.ElementTree.fromstring(body)`.

    ## References
    - https://cwe.mitre.org/data/definitions/611.html
    - https://cwe.mitre.org/data/definitions/776.html
    - https://docs.python.org/3/library/xml.html#xml-vulnerabilities
    - https://lxml.de/5.0/changes-5.0.0.html
    - https://github.com/lxml/lxml/security/advisories/GHSA-vfmq-68hx-4jfw
    - https://pypi.org/project/defusedxml/
    """

    id = "SR304"
    slug = "xml-external-entities"
    cwe = 611
    related_cwes = (776,)
    title = "XML parsed with external entities or unlimited entity expansion"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    node_types = TrackingRule.node_types
    call_leaves = leaves_of(
        STDLIB_PARSE,
        STDLIB_CONSTRUCTORS,
        XMLRPC_SERVERS,
        LXML_PARSERS,
        LXML_HTML_PARSERS,
        LXML_PARSE,
        LXML_ITERPARSE,
        _DEFUSED_FUNCS,
        _DEFUSED_PATCHES,
        ("setFeature",),
    )
    in_tests = "lower"

    def __init__(self, walker) -> None:  # type: ignore[no-untyped-def]
        super().__init__(walker)
        self.xmlrpc_servers: list[tuple[ast.Call, str]] = []
        self.xmlrpc_patched = False

    # -- dispatch ----------------------------------------------------------------------------
    def check_call(self, node: ast.Call) -> None:
        walker = self.walker
        if isinstance(node.func, ast.Attribute) and node.func.attr == "setFeature":
            self._check_set_feature(node)
            return
        name = walker.call_name(node)
        if name is None:
            return
        if name.startswith("defusedxml."):
            self._check_defused(node, name)
        elif name in STDLIB_PARSE:
            self._check_stdlib(node, name)
        elif name in STDLIB_CONSTRUCTORS:
            walker.examine(
                611, node, "xml-parse", "parser-object", f"{name}(): expat, no external entities"
            )
        elif name in XMLRPC_SERVERS:
            self.xmlrpc_servers.append((node, name))
        elif name in LXML_PARSERS:
            self._check_lxml_parser(node, name)
        elif name in LXML_HTML_PARSERS:
            walker.examine(611, node, "xml-parse", "html-parser", f"{name}()")
        elif name in LXML_PARSE:
            self._check_lxml_parse(node, name)
        elif name in LXML_ITERPARSE:
            self._check_lxml_iterparse(node, name)

    def _check_defused(self, node: ast.Call, name: str) -> None:
        if name == "defusedxml.xmlrpc.monkey_patch":
            self.xmlrpc_patched = True
        leaf = name.rpartition(".")[2]
        if leaf in _DEFUSED_FUNCS or leaf in _DEFUSED_PATCHES:
            self.walker.examine(611, node, "xml-parse", "defusedxml", f"{name}()")

    # -- stdlib ------------------------------------------------------------------------------
    def _check_stdlib(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        module, func, keyword = STDLIB_PARSE[name]
        data = walker.argument(node, 0, keyword)
        if data is None:
            return
        fixed = fixed_source(walker, self.values, data)
        if fixed is not None:
            walker.examine(611, node, "xml-parse", "constant", f"{name}() of {fixed}")
            return
        walker.examine(611, node, "xml-parse", "flagged", f"{name}() of non-constant input (expat)")
        finding = walker.report(
            self,
            node,
            f"{name}() of `{short_source(walker, data)}`: expat expands nested entities, and "
            "libexpat before 2.4.1 has no limit against 'billion laughs' documents",
            severity=Severity.LOW,
            confidence=Confidence.LOW,
            cwe=776,
            evidence="non-constant argument; depends on the libexpat version",
            fix=self._defused_fix(node, module, func),
        )
        walker.unless_constant(
            finding, [(node, data)], (776, "xml-parse", f"{name}() of a constant")
        )

    def _defused_fix(self, node: ast.Call, module: str | None, func: str) -> Fix:
        walker = self.walker
        if module is None:
            if func == "loads":
                return Fix("call defusedxml.xmlrpc.monkey_patch() at start-up")
            return Fix("parse with defusedxml.ElementTree (join the pieces first)")
        description = (
            f"use {module}.{func}(), which refuses entity declarations and external references"
        )
        if walker.keyword(node, "parser") is not None or (
            module != "defusedxml.sax"
            and len(node.args) > 1
            and func in ("parse", "iterparse", "XML", "fromstring")
        ):
            return Fix(description + " (drop the custom parser)")
        found = module_reference(walker, module)
        if found is None:
            return Fix(description)
        reference, imports = found
        replacement = call_with_new_func(walker, node, f"{reference}.{func}")
        fix = walker.replace_fix(node, replacement, description)
        return Fix(fix.description, fix.edits + imports, fix.replacement)

    def _check_set_feature(self, node: ast.Call) -> None:
        walker = self.walker
        if len(node.args) < 2:
            return
        feature, value = node.args[0], node.args[1]
        qualified = walker.qualname(feature)
        if qualified not in _SAX_FEATURES and walker.const_value(feature) not in _SAX_FEATURE_URIS:
            return
        enabled = walker.const_value(value)
        if enabled is NOT_CONSTANT or not enabled:
            walker.examine(
                611,
                node,
                "xml-parse",
                "external-entities-off",
                f"setFeature({short_source(walker, feature)}, ...)",
            )
            return
        walker.examine(611, node, "xml-parse", "flagged", "SAX external entities enabled")
        finding = walker.report(
            self,
            node,
            f"setFeature({short_source(walker, feature)}, True) makes the SAX parser load external "
            "entities: local files and URLs named in the document",
            severity=Severity.HIGH,
            confidence=Confidence.HIGH,
            evidence="parser feature argument",
            fix=walker.replace_fix(
                value, "False", "leave external entities off (the default since Python 3.7.1)"
            ),
        )
        documents = self._parsed_documents(node)
        if documents:
            # A parser made here and used only here: if every document it parses is a
            # constant, no one can name an entity in it.
            walker.unless_constant(
                finding,
                documents,
                (611, "xml-parse", "external entities on, for constant documents only"),
            )

    def _parsed_documents(self, node: ast.Call) -> list[tuple[ast.Call, ast.expr]]:
        """The parse calls, and their documents, of the parser whose feature `node` sets:
        `parser.parse(source)`, `parser.feed(data)` and stdlib functions given it as their
        parser (`minidom.parseString(text, parser)`). Empty unless the parser is a local made
        by a parser factory in this function and used nowhere else (returned, stored, passed
        on: who parses what with it is not seen here)."""
        walker = self.walker
        func, scope = node.func, walker.function
        if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
            return []
        name = func.value.id
        binding = walker.names.lookup(name)
        if scope is None or binding is None or binding.kind is BindingKind.PARAMETER:
            return []
        documents: list[tuple[ast.Call, ast.expr]] = []
        made = stores = reads = uses = 0
        for inner in ast.walk(scope):
            if isinstance(inner, ast.Name) and inner.id == name:
                if isinstance(inner.ctx, ast.Load):
                    reads += 1
                else:
                    stores += 1
            elif isinstance(inner, ast.Assign) and isinstance(inner.value, ast.Call):
                if any(isinstance(t, ast.Name) and t.id == name for t in inner.targets):
                    made += walker.call_name(inner.value) in STDLIB_CONSTRUCTORS
            elif isinstance(inner, ast.Call):
                used = _parser_use(walker, inner, name)
                if used is not None:
                    uses += 1
                    if used is _NO_DOCUMENT:
                        return []
                    if isinstance(used, ast.expr):
                        documents.append((inner, used))
        if not made or made != stores or reads != uses:
            return []
        return documents

    # -- lxml --------------------------------------------------------------------------------
    def _lxml_risk(self, node: ast.Call, default_unsafe: bool) -> Risk | str | None:
        """The risk of a parser configured by `node`'s keywords; None if safe, "unknown"."""
        walker = self.walker
        resolve = walker.keyword(node, "resolve_entities")
        resolve_value = walker.const_value(resolve) if resolve is not None else None
        if resolve_value is NOT_CONSTANT:
            return "unknown"
        network_kw = walker.keyword(node, "no_network")
        network = network_kw is not None and walker.const_value(network_kw) is False
        huge_kw = walker.keyword(node, "huge_tree")
        huge = huge_kw is not None and walker.const_value(huge_kw) is True
        dtd = any(
            walker.const_value(walker.keyword(node, k)) is True
            for k in ("load_dtd", "dtd_validation", "attribute_defaults")
        )
        net_text = " and fetches them over the network (no_network=False)" if network else ""
        if resolve is not None and resolve_value not in (False, "internal") and resolve_value:
            return Risk(
                Severity.HIGH,
                Confidence.HIGH,
                611,
                f"resolve_entities={short_source(walker, resolve)} resolves external entities "
                f"(local files){net_text}",
                True,
            )
        if resolve is None:
            if default_unsafe:
                return Risk(
                    Severity.HIGH,
                    Confidence.MEDIUM if not network else Confidence.HIGH,
                    611,
                    "without resolve_entities=False it resolves external entities (local files) "
                    f"on lxml before 6.1.0{net_text}",
                    network,
                )
            if network:
                return Risk(
                    Severity.HIGH,
                    Confidence.MEDIUM,
                    611,
                    "no_network=False lets external entities and DTDs be fetched over the network "
                    "(entities were resolved by default before lxml 5.0)",
                    True,
                )
            if huge:
                return _huge_risk()
            return Risk(
                Severity.LOW,
                Confidence.LOW,
                611,
                "the default lxml parser resolved external entities (local files) before lxml 5.0",
                False,
            )
        # resolve_entities=False or 'internal'
        if network and dtd:
            return Risk(
                Severity.MEDIUM,
                Confidence.MEDIUM,
                611,
                "no_network=False with DTD loading fetches DTDs named in the document over the network",
                True,
            )
        if huge and resolve_value == "internal":
            return _huge_risk()
        return None

    def _check_lxml_parser(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        risk = self._lxml_risk(node, LXML_PARSERS[name])
        if risk is None or risk == "unknown":
            walker.examine(
                611, node, "xml-parser", "hardened" if risk is None else "unknown", f"{name}()"
            )
            return
        assert isinstance(risk, Risk)
        if not risk.explicit and risk.severity is Severity.LOW:
            # Version-dependent default: reported where the parser meets data (below).
            walker.examine(
                611, node, "xml-parser", "lxml-default", f"{name}() with default entity handling"
            )
            return
        walker.examine(611, node, "xml-parser", "flagged", f"{name}(): {risk.reason}")
        walker.report(
            self,
            node,
            f"{name}(): {risk.reason}",
            severity=risk.severity,
            confidence=risk.confidence,
            cwe=risk.cwe,
            evidence="parser arguments" if risk.explicit else "parser default (lxml version)",
            fix=_lxml_fix(),
        )

    def _check_lxml_parse(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        data = walker.argument(node, 0, "source" if name.endswith(".parse") else "text")
        if data is None:
            return
        parser = walker.argument(node, 1, "parser")
        risk: Risk | str | None
        if parser is None or walker.const_value(parser) is None:
            risk = self._default_risk()
        else:
            origin = self.values.origin_call(parser)
            if origin is None:
                walker.examine(
                    611,
                    node,
                    "xml-parse",
                    "unknown-parser",
                    f"{name}() with parser={short_source(walker, parser)}",
                )
                return
            call, parser_name = origin
            if parser_name in LXML_HTML_PARSERS:
                walker.examine(
                    611, node, "xml-parse", "html-parser", f"{name}() with an HTML parser"
                )
                return
            if parser_name not in LXML_PARSERS:
                walker.examine(
                    611,
                    node,
                    "xml-parse",
                    "unknown-parser",
                    f"{name}() with parser from {parser_name}()",
                )
                return
            risk = self._lxml_risk(call, LXML_PARSERS[parser_name])
            if isinstance(risk, Risk) and (risk.explicit or risk.severity is not Severity.LOW):
                walker.examine(
                    risk.cwe,
                    node,
                    "xml-parse",
                    "flagged-parser",
                    f"{name}() with a parser reported at its construction",
                )
                return
        if risk is None or risk == "unknown":
            walker.examine(
                611,
                node,
                "xml-parse",
                "hardened-parser" if risk is None else "unknown-parser",
                f"{name}()",
            )
            return
        assert isinstance(risk, Risk)
        fixed = fixed_source(walker, self.values, data)
        if fixed is not None:
            walker.examine(611, node, "xml-parse", "constant", f"{name}() of {fixed}")
            return
        walker.examine(611, node, "xml-parse", "flagged", f"{name}(): {risk.reason}")
        finding = walker.report(
            self,
            node,
            f"{name}() of `{short_source(walker, data)}` with the default parser: {risk.reason}",
            severity=risk.severity,
            confidence=risk.confidence,
            cwe=risk.cwe,
            evidence="non-constant argument; depends on the lxml version",
            fix=_lxml_fix(),
        )
        walker.unless_constant(
            finding, [(node, data)], (risk.cwe, "xml-parse", f"{name}() of a constant")
        )

    def _default_risk(self) -> Risk:
        return Risk(
            Severity.LOW,
            Confidence.LOW,
            611,
            "it resolved external entities (local files) before lxml 5.0",
            False,
        )

    def _check_lxml_iterparse(self, node: ast.Call, name: str) -> None:
        walker = self.walker
        if walker.const_value(walker.keyword(node, "html")) is True:
            walker.examine(611, node, "xml-parse", "html-parser", f"{name}(html=True)")
            return
        risk = self._lxml_risk(node, True)
        if risk is None or risk == "unknown":
            walker.examine(
                611, node, "xml-parse", "hardened" if risk is None else "unknown", f"{name}()"
            )
            return
        assert isinstance(risk, Risk)
        data = walker.argument(node, 0, "source")
        fixed = fixed_source(walker, self.values, data) if data is not None else "no source"
        if not risk.explicit and fixed is not None:
            walker.examine(611, node, "xml-parse", "constant", f"{name}() of {fixed}")
            return
        walker.examine(611, node, "xml-parse", "flagged", f"{name}(): {risk.reason}")
        shown = short_source(walker, data) if data is not None else "?"
        walker.report(
            self,
            node,
            f"{name}() of `{shown}`: {risk.reason}",
            severity=risk.severity,
            confidence=risk.confidence,
            cwe=risk.cwe,
            evidence="parser arguments"
            if risk.explicit
            else "non-constant argument; iterparse() default before lxml 6.1.0",
            fix=_lxml_fix(iterparse=True),
        )

    # -- xmlrpc ------------------------------------------------------------------------------
    def end_module(self) -> None:
        walker = self.walker
        for node, name in self.xmlrpc_servers:
            if self.xmlrpc_patched:
                walker.examine(
                    776,
                    node,
                    "xml-parse",
                    "defusedxml",
                    f"{name}() after defusedxml.xmlrpc.monkey_patch()",
                )
                continue
            walker.examine(
                776, node, "xml-parse", "flagged", f"{name}() parses request XML with expat"
            )
            walker.report(
                self,
                node,
                f"{name}() parses every request body with expat: nested entities ('billion "
                "laughs') exhaust memory where libexpat is older than 2.4.1",
                severity=Severity.LOW,
                confidence=Confidence.LOW,
                cwe=776,
                evidence="xmlrpc server; depends on the libexpat version",
                fix=Fix("call defusedxml.xmlrpc.monkey_patch() before serving requests"),
            )


# A parse call on the parser whose document cannot be told (passed as `*args`, `**kwargs`).
_NO_DOCUMENT = object()
# Methods of a SAX parser that give it a document; the others configure it.
_SAX_FEEDERS = {"parse": "source", "feed": "data"}


def _parser_use(walker: Walker, call: ast.Call, name: str) -> ast.expr | object | None:
    """What `call` does with the parser named `name`: None when it does not use it, the
    document it parses with it, _NO_DOCUMENT when that cannot be told, or False when it only
    configures it (`parser.setContentHandler(h)`)."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if func.value.id != name:
            pass
        elif func.attr in _SAX_FEEDERS:
            document = walker.argument(call, 0, _SAX_FEEDERS[func.attr])
            return _NO_DOCUMENT if document is None else document
        else:
            return False
    qualified = walker.call_name(call)
    if qualified in STDLIB_PARSE:
        parser = walker.argument(call, 1, "parser")
        if isinstance(parser, ast.Name) and parser.id == name:
            document = walker.argument(call, 0, STDLIB_PARSE[qualified][2])
            return _NO_DOCUMENT if document is None else document
    return None


def _huge_risk() -> Risk:
    return Risk(
        Severity.MEDIUM,
        Confidence.MEDIUM,
        776,
        "huge_tree=True turns off libxml2's limits against entity expansion ('billion laughs')",
        True,
    )


def _lxml_fix(*, iterparse: bool = False) -> Fix:
    where = "iterparse()" if iterparse else "the parser"
    return Fix(
        f"pass resolve_entities=False and no_network=True to {where} "
        "(and keep huge_tree off), e.g. etree.XMLParser(resolve_entities=False, no_network=True)"
    )
