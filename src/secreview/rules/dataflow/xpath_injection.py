from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class XPathInjection(FlowRule):
    """Untrusted input becomes part of an XPath expression.

    ## What it does
    Follows request data through assignments, string building and helper functions to the
    expression of lxml's `xpath()` (on a tree or an element), `etree.XPath()` and
    `etree.ETXPath()`, `elementpath.select()` / `Selector()`, and the path of ElementTree's
    `find()` / `findall()` / `findtext()` / `iterfind()` on a parsed tree or element (a subset
    of XPath, in which a predicate such as `[@name='…']` built from input is injectable too).
    XPath variables (`tree.xpath("//user[@name=$name]", name=name)`) are data, not expression,
    and are never reported; numbers and allow-listed values are clean, and so are values that
    hold no quote: rejected when they contain one (`if "'" in name: return`)
    or with it replaced by text without it (`name.replace("'", "&apos;")`). That is safe only
    in a literal quoted with that same character, which is how such checks are written; doubling
    the quote (`replace("'", "''")`) is an escape in XPath 2.0, not in lxml's XPath 1.0, and is
    reported.

    ## Why is this bad?
    Quotes and brackets are XPath syntax: `' or '1'='1` turns a lookup of one user into a
    lookup of all of them, and an XML document used for logins accepts any password. Only remote
    input counts. In test code the finding is lowered.

    ## Example
    ```python
    from lxml import etree

    def find_book(catalog, title):
        return catalog.xpath(f"//book[title='{title}']/price/text()")
    ```

    ## Use instead
    ```python
    def find_book(catalog, title):
        return catalog.xpath("//book[title=$title]/price/text()", title=title)
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/643.html
    - https://lxml.de/xpathxslt.html#the-xpath-method
    - https://owasp.org/www-community/attacks/XPATH_Injection
    """

    id = "SR912"
    slug = "xpath-injection"
    cwe = 643
    title = "Untrusted input reaches an XPath expression"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    in_tests = "lower"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    fix = "pass values as XPath variables: tree.xpath('//user[@name=$name]', name=name)"
