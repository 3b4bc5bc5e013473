"""SR205: table or column names inserted into SQL text."""

from __future__ import annotations

import ast

from secreview.findings import Confidence, Finding, Fix, Severity
from secreview.rules.sql_injection._shared import (
    Judgement,
    SinkQuery,
    SqlSink,
    SqlSinkRule,
    from_request,
    quote_list,
)

# `[{table}]`: brackets (SQLite, SQL Server, Access) have no escape for `]` in SQLite, so a
# name in them is safe only if it never holds one. (Backquotes and double quotes can be
# escaped by doubling; whether the code checked the name first is not visible here.)
_HAND_QUOTED = frozenset({"a [quoted] name"})


class SqlIdentifierInjection(SqlSinkRule):
    """Inserts a non-constant table or column name into SQL text.

    ## What it does
    Looks at the same SQL calls as SR204 (DB-API `execute*`, SQLAlchemy `text()`, Django `raw()`,
    `extra()` and `RawSQL()`, pandas `read_sql()`, ...) and reports a query whose only non-constant
    parts stand where SQL expects a name: after `FROM`, `JOIN`, `INTO`, `UPDATE`, `TABLE`,
    `ORDER BY`, `GROUP BY`, `SET`, in a `SELECT` column list or an `INSERT` column list, or
    inside identifier quotes. The position is read from the literal text right before the
    inserted part. A query that also inserts a value is reported once, by SR204.

    Not reported: `psycopg2.sql.SQL("... {}").format(sql.Identifier(name))`, names passed through
    `connection.ops.quote_name()` or `quote_ident()`, a name looked up in a dict literal of
    constant names (`SORT_COLUMNS[key]`, `SORT_COLUMNS.get(key, "name")`: an allow-list),
    `Model._meta.db_table` and `Model.__tablename__`, a name quoted by hand inside `"..."` with
    `.replace('"', '""')`, loop variables over a constant tuple, and constants.

    ## Why is this bad?
    Identifiers cannot be bound as query parameters, so code that lets the caller choose a sort
    column or a table pastes the name into the text, and the name is then parsed as SQL:
    `sort=(CASE WHEN (SELECT ...) THEN name ELSE email END)` turns an `ORDER BY` into a blind
    injection, and a table name can carry a whole `UNION SELECT`. The fix differs from SR204's:
    check the name against an allow-list, or quote it as an identifier.

    Severity says what a reviewer should do. A name read straight from the request
    (`request.args["sort"]`) is reported with high severity. Any other name (a parameter, an
    attribute, a local computed here) is reported with low severity, the message saying that no
    flow from the request was found: code names its own tables (a cache table from settings, the
    table a schema editor alters), and SR902 reports a proven flow from the request, replacing
    this finding. A name quoted by hand in `[...]` is reported with medium severity wherever
    it comes from: brackets have no escape for `]` (in SQLite), so a name holding one ends the
    quoting. A template this function does not show (`self.sql_rename_table % {...}`)
    filled only with quoted names, numbers and constants is not reported (by SR204 either).

    In test code the finding is kept at low severity: tests create and drop tables by name,
    which is harmless there but worth seeing if the helper moves into application code.

    ## Example
    ```python
    from flask import request

    def list_products(cursor):
        sort = request.args.get("sort", "name")
        cursor.execute(f"SELECT id, name, price FROM products ORDER BY {sort}")
        return cursor.fetchall()
    ```

    ## Use instead
    ```python
    from flask import request

    SORT_COLUMNS = {"name": "name", "price": "price", "newest": "created_at"}

    def list_products(cursor):
        sort = SORT_COLUMNS.get(request.args.get("sort"), "name")  # only known columns
        cursor.execute(f"SELECT id, name, price FROM products ORDER BY {sort}")
        return cursor.fetchall()
    ```
    With psycopg, `sql.SQL("... ORDER BY {}").format(sql.Identifier(sort))` quotes the name;
    with SQLAlchemy, build the statement with `table()` / `column()` / `quoted_name` instead of
    text. A separate check such as `if sort not in ALLOWED: abort(400)` is not visible to this
    pattern-level rule; after such a check, suppress the finding with
    `# secreview: ignore[SR205] -- checked against ALLOWED`.

    ## References
    - https://cwe.mitre.org/data/definitions/89.html
    - https://www.psycopg.org/docs/sql.html
    - https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html
    """

    id = "SR205"
    slug = "sql-identifier-injection"
    cwe = 89
    title = "Non-constant table or column name in SQL text"
    severity = Severity.HIGH
    confidence = Confidence.MEDIUM
    in_tests = "lower"
    reports_verdict = "identifier-flagged"

    def report_query(
        self, call: ast.Call, sink: SqlSink, query: SinkQuery, judgement: Judgement
    ) -> Finding | None:
        names = judgement.identifiers
        context = names[0].context
        where = f"as {context}" if context.startswith(("a ", "the ")) else f"after `{context}`"
        message = (
            f"{self.describe(sink, query, judgement)} from {quote_list(self.walker, names)}, inserted as a table or "
            f"column name ({where}); check it against an allow-list or quote it as an identifier"
        )
        severity = self.severity
        hand_quoted = [p for p in names if p.context in _HAND_QUOTED]
        if hand_quoted and not any(from_request(self.walker, p.hole.node) for p in names):
            # `[{table}]`: the code means to quote the name and a name holding `]` breaks
            # out, wherever the name comes from.
            severity = Severity.MEDIUM
            message += (
                "; it is quoted by hand in [...], which cannot hold a `]`: a name with one ends "
                "the quoting"
            )
        elif not any(from_request(self.walker, p.hole.node) for p in names):
            # Code names its own tables and columns (a cache table from settings, the table a
            # schema editor works on): without a sign that someone outside picks the name, this
            # is worth knowing, not acting on. SR902 reports a proven flow from the request.
            severity = Severity.LOW
            message += "; no flow from the request to the name was found"
        return self.walker.report(
            self,
            query.node,
            message,
            severity=severity,
            fix=Fix(
                "compare the name with a fixed allow-list before building the query, or quote it "
                "as an identifier: psycopg sql.SQL(...).format(sql.Identifier(name)), Django "
                "connection.ops.quote_name(name); values stay query parameters"
            ),
            confidence=self.confidence_for(names),
            evidence="query built by interpolation"
            if not judgement.shape or not judgement.shape.via
            else "local variable assigned an interpolated string",
            trace=self.trace_for(call, sink, names),
        )
