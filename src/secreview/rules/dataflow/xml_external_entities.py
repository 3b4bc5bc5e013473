from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class UntrustedXmlExternalEntities(FlowRule):
    """Untrusted XML is parsed by lxml with a parser that resolves external entities.

    ## What it does
    Follows request bodies, uploaded files and other remote data to lxml parsing without an
    explicit parser: `lxml.etree.fromstring()`, `XML()` and `parse()` (also `lxml.objectify`),
    whose default parser resolved external entities until lxml 5.0; and to `lxml.etree.iterparse()`
    without `resolve_entities=False` or `"internal"`. A parser passed explicitly is judged where
    it is built (SR304). The standard library's parsers never fetch external entities (expat; and
    `xml.sax` since Python 3.7.1), so they are not sinks of this rule: their entity-expansion
    risk is SR304's CWE-776 finding.

    ## Why is this bad?
    `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/shadow">]>` makes the parser read a local file
    into the document, which the application then stores or echoes: file disclosure from one
    request. Whether the default parser still does this depends on the installed lxml, which the
    code does not pin, so the confidence is medium. This finding replaces SR304 at the same call.
    In test code it is lowered.

    ## Example
    ```python
    from lxml import etree

    class ManifestController(wsgi.Controller):
        def create(self, req, body):
            manifest = etree.fromstring(req.body)
            return {"name": manifest.findtext("name")}
    ```

    ## Use instead
    ```python
    from lxml import etree

    SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)

    class ManifestController(wsgi.Controller):
        def create(self, req, body):
            manifest = etree.fromstring(req.body, SAFE_PARSER)
            return {"name": manifest.findtext("name")}
    ```
    `defusedxml.lxml` and `defusedxml.ElementTree` refuse DTDs with entities altogether.

    ## References
    - https://cwe.mitre.org/data/definitions/611.html
    - https://lxml.de/FAQ.html#how-do-i-use-lxml-safely-as-a-web-service-endpoint
    - https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html
    """

    id = "SR910"
    slug = "xxe-untrusted-xml"
    cwe = 611
    title = "Untrusted XML reaches a parser that resolves external entities"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    in_tests = "lower"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    supersedes = ("SR304",)
    fix = (
        "parse with an explicit etree.XMLParser(resolve_entities=False, no_network=True) "
        "(iterparse(..., resolve_entities=False)), or use defusedxml"
    )
