from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class LdapInjection(FlowRule):
    """Untrusted input becomes part of an LDAP search filter.

    ## What it does
    Follows request data through assignments, string building and helper functions to the
    filter of an LDAP search: python-ldap's `search_s()` / `search_st()` / `search_ext(_s)()` /
    `search()` (third argument) and ldap3's `Connection.search()` (second argument). A
    connection made by the application's own helper (`conn = get_connection()`) has no type the
    analysis knows; as with database cursors, its `search()` counts when the receiver is named as
    an LDAP connection (`conn`, `connection`, `ldap_conn`, …). Values passed through
    `ldap.filter.escape_filter_chars()` (or ldap3's `escape_filter_chars()`), inserted with
    `ldap.filter.filter_format()`, converted to numbers or checked against an allow-list are
    clean; the search base is not followed.

    ## Why is this bad?
    `*`, `(`, `)` and `\\` are filter syntax. A user name of `*)(uid=*))(|(uid=*` widens a
    lookup to every entry, and a login that searches for `(&(uid={user})(userPassword={pw}))`
    accepts `*` as a password. Only remote input counts. In test code the finding is lowered.

    ## Example
    ```python
    import ldap

    def find_user(conn, username):
        return conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, f"(uid={username})")
    ```

    ## Use instead
    ```python
    import ldap
    from ldap.filter import escape_filter_chars

    def find_user(conn, username):
        return conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, f"(uid={escape_filter_chars(username)})")
    ```

    ## References
    - https://cwe.mitre.org/data/definitions/90.html
    - https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html
    - https://www.python-ldap.org/en/latest/reference/ldap-filter.html
    """

    id = "SR911"
    slug = "ldap-injection"
    cwe = 90
    title = "Untrusted input reaches an LDAP search filter"
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    in_tests = "lower"
    source_kinds = frozenset({"remote"})
    kind_severity = {}
    fix = (
        "escape every inserted value with ldap.filter.escape_filter_chars() (ldap3: "
        "ldap3.utils.conv.escape_filter_chars), or build the filter with "
        "ldap.filter.filter_format()"
    )
