"""SR204: SQL text built from non-constant values."""

from __future__ import annotations

import ast

from secreview.findings import Finding, Severity
from secreview.rules.sql_injection._shared import (
    Judgement,
    SinkQuery,
    SqlSink,
    SqlSinkRule,
    comes_from_outside,
    parameter_fix,
    quote_list,
)


class SqlInjection(SqlSinkRule):
    """Runs SQL whose text is built from non-constant values (%, .format, f-string, +).

    ## What it does
    Looks at every call that runs or prepares SQL: DB-API `execute`, `executemany` and
    `executescript` on any object (cursors are untyped), SQLAlchemy `text()` and
    `exec_driver_sql()`, psycopg's `sql.SQL()`, Django's `Manager.raw()`, `QuerySet.extra()` and
    `RawSQL()`, and pandas' `read_sql()` / `read_sql_query()`. It reports the call when the query
    text is built with `%`, `str.format()`, an f-string or `+` from parts that are not constants
    and at least one of those parts lands in a value position (a comparison, a quoted string, an
    `IN (...)` list, `LIMIT`, ...). A local variable assigned such a string earlier in the same
    function counts as well.

    Not reported: constant queries and parameterised ones (`execute("... = %s", (x,))`,
    `text("... :id").bindparams(id=x)`); placeholder lists such as
    `",".join("?" * len(ids))`; inserted constants and module-level constants; numbers forced by
    `%d`, `{:d}` or `int()`; names quoted with `quote_name()` / `quote_ident()`; model metadata such
    as `Model._meta.db_table`; lookups in a dict literal of constant strings (an allow-list),
    also one bound in the class body (`self.operators[lookup]`); a template the function does
    not show (`self.sql_delete_table % {...}`) filled only with quoted names, numbers and
    constants;
    `" AND ".join(clauses)` when every clause appended to the list is a constant; and text the
    value analysis proves constant after following it (a project helper that returns fixed SQL
    on every path, a branch a constant decides). Strings that merely contain `SELECT ... FROM` (log messages,
    docstrings) are never looked at: only what reaches a SQL call counts. A call matched on the
    method name alone must also look like SQL (its text starts with a SQL verb not followed by a
    command-line option), so OpenStack's `processutils.execute("ip", ...)` and an appliance's
    `execute("truncate --size ...")` are left alone. When the only non-constant parts are table or
    column names, SR204 stays silent and SR205 reports instead.

    ## Why is this bad?
    Text inserted into a statement is parsed as SQL. A value such as `' OR '1'='1` or
    `1; DROP TABLE users` changes what the statement does: reading other users' rows, bypassing a
    login, or modifying data. Quoting by hand is easy to get wrong; bound parameters never are,
    because the driver sends the value separately from the statement.

    Severity says what a reviewer should act on. A value read from the request or passed in
    by the function's caller (a parameter) is reported with high severity. When every inserted
    value is the program's own (an attribute of the object such as
    `f"BEGIN {self.transaction_mode}"`, a fragment built earlier in the function, a method's
    result), the finding has low severity and says so; SR902 reports a proven flow from the
    request, replacing this finding.

    In test code the finding is kept at low severity: fixtures often build SQL from constants
    and test names, but a helper copied from a test into application code carries the flaw.

    ## Example
    ```python
    import sqlite3

    def find_user(conn: sqlite3.Connection, name: str):
        query = "SELECT id, email FROM users WHERE name = '%s'" % name
        return conn.execute(query).fetchone()
    ```

    ## Use instead
    ```python
    import sqlite3

    def find_user(conn: sqlite3.Connection, name: str):
        return conn.execute("SELECT id, email FROM users WHERE name = ?", (name,)).fetchone()
    ```
    For a variable number of values, build only the placeholders:
    `f"... WHERE id IN ({','.join('?' * len(ids))})"` with `ids` as the parameters.

    ## References
    - https://cwe.mitre.org/data/definitions/89.html
    - https://peps.python.org/pep-0249/#paramstyle
    - https://docs.djangoproject.com/en/stable/topics/db/sql/#passing-parameters-into-raw
    - https://cheatsheetseries.owasp.org/cheatsheets/Query_Parameterization_Cheat_Sheet.html
    """

    id = "SR204"
    slug = "sql-injection"
    cwe = 89
    title = "SQL text built from non-constant values"
    severity = Severity.HIGH
    in_tests = "lower"
    reports_verdict = "flagged"

    def report_query(
        self, call: ast.Call, sink: SqlSink, query: SinkQuery, judgement: Judgement
    ) -> Finding | None:
        values = judgement.values
        first = values[0]
        where = _where(first.context)
        message = (
            f"{self.describe(sink, query, judgement)} from {quote_list(self.walker, values)} ({where}); "
            "pass values as query parameters instead"
        )
        fix = parameter_fix(self.walker, call, sink, judgement)
        severity = self.severity
        if not any(comes_from_outside(self.walker, p.hole.node) for p in values):
            # Every inserted value is the program's own (an attribute of the object, a fragment
            # built earlier in the function, a method's result): a reviewer would act on a value
            # someone outside chooses. SR902 reports a proven flow from the request.
            severity = Severity.LOW
            message += (
                "; no inserted value comes from the request or the function's caller, so check "
                "where they are built"
            )
        return self.walker.report(
            self,
            query.node,
            message,
            severity=severity,
            fix=fix,
            confidence=self.confidence_for(values),
            evidence="query built by interpolation"
            if not judgement.shape or not judgement.shape.via
            else "local variable assigned an interpolated string",
            trace=self.trace_for(call, sink, values),
        )


def _where(context: str) -> str:
    if context.startswith(("a ", "the ")):
        return f"in {context}"
    return f"after `{context}`"
