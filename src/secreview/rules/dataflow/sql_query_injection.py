from __future__ import annotations

from secreview.findings import Confidence, Severity
from secreview.rules.base import FlowRule


class SqlQueryInjection(FlowRule):
    """Untrusted input becomes part of the text of an SQL statement.

    ## What it does
    Follows request data (query string, form, JSON body, headers, URL parameters, controller
    arguments), environment variables and command-line arguments through assignments, string
    building, containers, attributes and helper functions in any module, to the *text* of an SQL
    statement: DB-API `execute` / `executemany` / `executescript` on any cursor or connection
    (sqlite3, psycopg2, pymysql, MySQLdb, Django's `connection.cursor()`), SQLAlchemy `text()` and
    `Session.execute()`, psycopg's `sql.SQL()`, Django's `raw()`, `extra()` and `RawSQL()`, and
    pandas' `read_sql()`.

    Bound parameters are never reported: in `cur.execute("... WHERE id = %s", (user_id,))` only
    the first argument is the statement. Values converted with `int()`, inserted with `%d` or
    `{:d}`, or checked against an allow-list (`if sort not in SORT_COLUMNS: abort(400)`,
    `SORT_COLUMNS.get(sort, "name")`) are clean.

    ## Why is this bad?
    Text inserted into a statement is parsed as SQL: `' OR '1'='1` reads every row,
    `1; DROP TABLE users` changes data, and a sort column can carry a blind sub-query. A proven
    flow from request data is critical; an environment variable is medium and a command-line
    argument of a CLI tool low (whoever sets them already runs the program). This finding
    replaces SR204 / SR205 at the same call: the pattern says the text is built, the flow says
    from what. In test code the finding is lowered: tests feed their own data.

    ## Example
    ```python
    from flask import Flask, request

    from .db import get_db

    app = Flask(__name__)

    def _filter(field, value):
        return f"{field} = '{value}'"

    @app.route("/orders")
    def orders():
        where = _filter("status", request.args["status"])
        return {"rows": get_db().execute("SELECT id, total FROM orders WHERE " + where).fetchall()}
    ```

    ## Use instead
    ```python
    @app.route("/orders")
    def orders():
        rows = get_db().execute(
            "SELECT id, total FROM orders WHERE status = ?", (request.args["status"],)
        ).fetchall()
        return {"rows": rows}
    ```
    Table and column names cannot be parameters: choose them from a fixed mapping
    (`SORT_COLUMNS[key]`) or quote them (`psycopg2.sql.Identifier`).

    ## References
    - https://cwe.mitre.org/data/definitions/89.html
    - https://cheatsheetseries.owasp.org/cheatsheets/Query_Parameterization_Cheat_Sheet.html
    - https://peps.python.org/pep-0249/#paramstyle
    """

    id = "SR902"
    slug = "sql-query-injection"
    cwe = 89
    title = "Untrusted input reaches the text of an SQL statement"
    severity = Severity.CRITICAL
    confidence = Confidence.HIGH
    in_tests = "lower"
    source_kinds = frozenset({"remote", "local", "cli"})
    kind_severity = {"local": Severity.MEDIUM, "cli": Severity.LOW}
    supersedes = ("SR204", "SR205")
    fix = (
        "pass values as query parameters (cursor.execute(sql, params)); choose table and column "
        "names from a fixed allow-list or quote them as identifiers"
    )
