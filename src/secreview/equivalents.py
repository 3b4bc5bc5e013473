"""Bandit's tests and Ruff's flake8-bandit rules, and the secreview rules that cover each.

This table is the one place where the ids of the other tools meet ours. It serves `# nosec B602`
and `# noqa: S602` comments, `--select B602` / `ignore = ["S608"]`, `secreview explain B602`,
the `rules` listing, docs/rules.md and `secreview migrate`.

A check maps to every secreview rule that reports the same defect, pattern and data-flow rules
alike: Bandit's B608 (SQL built from strings) is covered by SR204 and SR205, which look at how
the query was built, and by SR902, which follows untrusted input into it. A check with no
equivalent (Bandit's import blacklists, SNMP) maps to nothing and says why; its
`nearest` rules are only named in messages, never selected or suppressed through it.

Ruff's S codes reuse Bandit's numbers, so one row holds both ids of a check. Bandit ids that
newer Bandit releases dropped are kept (`retired`), so comments written for them still work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True)
class Check:
    """One check of Bandit and/or Ruff and the secreview rules that cover it."""

    bandit: str  # "B602", or "" when only Ruff has it
    bandit_name: str  # the test name, which Bandit's nosec comments also accept
    ruff: str  # "S602", or "" when Ruff has no such rule
    ruff_name: str
    rules: tuple[str, ...]  # secreview rule ids reporting the same defect
    note: str = ""  # what differs, or why nothing covers it
    nearest: tuple[str, ...] = ()  # for a check without equivalent: the closest rules
    retired: bool = False  # dropped by current Bandit; still read in old comments

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i for i in (self.bandit, self.ruff) if i)

    def label(self, foreign_id: str) -> str:
        """`Bandit B602 (subprocess_popen_with_shell_equals_true)`."""
        if foreign_id == self.ruff:
            return f"Ruff {self.ruff} ({self.ruff_name})"
        return f"Bandit {self.bandit} ({self.bandit_name})"


_IMPORTS = "secreview reports what a program does with a module, not its import"
_NO_CHECK = "no secreview rule checks this"
_XML = ("SR304", "SR910")
_SQL = ("SR204", "SR205", "SR902")

# fmt: off
CHECKS: tuple[Check, ...] = (
    Check("B101", "assert_used", "S101", "assert", ("SR603",),
          "only asserts that decide access or check request data; plain invariants are fine"),
    Check("B102", "exec_used", "S102", "exec-builtin", ("SR206", "SR904")),
    Check("B103", "set_bad_file_permissions", "S103", "bad-file-permissions", ("SR502",)),
    Check("B104", "hardcoded_bind_all_interfaces", "S104", "hardcoded-bind-all-interfaces",
          ("SR707",), "addresses that are bound, not every \"0.0.0.0\" string"),
    Check("B105", "hardcoded_password_string", "S105", "hardcoded-password-string",
          ("SR101", "SR102", "SR103")),
    Check("B106", "hardcoded_password_funcarg", "S106", "hardcoded-password-func-arg",
          ("SR101", "SR103")),
    Check("B107", "hardcoded_password_default", "S107", "hardcoded-password-default",
          ("SR101",)),
    Check("B108", "hardcoded_tmp_directory", "S108", "hardcoded-temp-file", ("SR501",)),
    Check("B109", "password_config_option_not_marked_secret", "", "", (), _NO_CHECK, ("SR918",),
          retired=True),
    Check("B110", "try_except_pass", "S110", "try-except-pass", ("SR601",)),
    Check("B111", "execute_with_run_as_root_equals_true", "", "", (), _NO_CHECK, retired=True),
    Check("B112", "try_except_continue", "S112", "try-except-continue", ("SR601",)),
    Check("B113", "request_without_timeout", "S113", "request-without-timeout", ("SR708",)),
    Check("B201", "flask_debug_true", "S201", "flask-debug-true", ("SR724",),
          "also Flask's app.debug and DEBUG settings, Werkzeug's debugger, Django and "
          "FastAPI debug pages"),
    Check("B202", "tarfile_unsafe_members", "S202", "tarfile-unsafe-members",
          ("SR503", "SR903")),
    Check("B301", "pickle", "S301", "suspicious-pickle-usage", ("SR301", "SR905")),
    Check("B302", "marshal", "S302", "suspicious-marshal-usage", ("SR301", "SR905")),
    Check("B303", "md5", "S303", "suspicious-insecure-hash-usage", ("SR405",)),
    Check("B304", "ciphers", "S304", "suspicious-insecure-cipher-usage", ("SR406",)),
    Check("B305", "cipher_modes", "S305", "suspicious-insecure-cipher-mode-usage", ("SR406",)),
    Check("B306", "mktemp_q", "S306", "suspicious-mktemp-usage", ("SR501",)),
    Check("B307", "eval", "S307", "suspicious-eval-usage", ("SR206", "SR904")),
    Check("B308", "mark_safe", "S308", "suspicious-mark-safe-usage", ("SR701", "SR906")),
    Check("B309", "httpsconnection", "", "", (), _NO_CHECK, retired=True),
    Check("B310", "urllib_urlopen", "S310", "suspicious-url-open-usage", ("SR909",),
          "URLs whose scheme or host comes from untrusted input"),
    Check("B311", "random", "S311", "suspicious-non-cryptographic-random-usage",
          ("SR408", "SR930"), "only random values used as secrets"),
    Check("B312", "telnetlib", "S312", "suspicious-telnet-usage", ("SR402",)),
    Check("B313", "xml_bad_cElementTree", "S313", "suspicious-xmlc-element-tree-usage", _XML),
    Check("B314", "xml_bad_ElementTree", "S314", "suspicious-xml-element-tree-usage", _XML),
    Check("B315", "xml_bad_expatreader", "S315", "suspicious-xml-expat-reader-usage", _XML),
    Check("B316", "xml_bad_expatbuilder", "S316", "suspicious-xml-expat-builder-usage", _XML),
    Check("B317", "xml_bad_sax", "S317", "suspicious-xml-sax-usage", _XML),
    Check("B318", "xml_bad_minidom", "S318", "suspicious-xml-mini-dom-usage", _XML),
    Check("B319", "xml_bad_pulldom", "S319", "suspicious-xml-pull-dom-usage", _XML),
    Check("B320", "xml_bad_etree", "S320", "suspicious-xmle-tree-usage", _XML, retired=True),
    Check("B321", "ftplib", "S321", "suspicious-ftp-lib-usage", ("SR402",)),
    Check(
        "B322", "input", "", "", ("SR904",),
        "Python 2's input() evaluates what is typed; reported in Python 2 files",
        retired=True,
    ),
    Check("B323", "unverified_context", "S323", "suspicious-unverified-context-usage",
          ("SR403",)),
    Check("B324", "hashlib_insecure_functions", "S324", "hashlib-insecure-hash-function",
          ("SR405",)),
    Check("B325", "tempnam", "", "", ("SR501",), retired=True),
    Check("B401", "import_telnetlib", "S401", "suspicious-telnetlib-import", (), _IMPORTS,
          ("SR402",)),
    Check("B402", "import_ftplib", "S402", "suspicious-ftplib-import", (), _IMPORTS,
          ("SR402",)),
    Check("B403", "import_pickle", "S403", "suspicious-pickle-import", (), _IMPORTS,
          ("SR301", "SR905")),
    Check("B404", "import_subprocess", "S404", "suspicious-subprocess-import", (), _IMPORTS,
          ("SR201", "SR901")),
    Check("B405", "import_xml_etree", "S405", "suspicious-xml-etree-import", (), _IMPORTS,
          _XML),
    Check("B406", "import_xml_sax", "S406", "suspicious-xml-sax-import", (), _IMPORTS, _XML),
    Check("B407", "import_xml_expat", "S407", "suspicious-xml-expat-import", (), _IMPORTS,
          _XML),
    Check("B408", "import_xml_minidom", "S408", "suspicious-xml-minidom-import", (), _IMPORTS,
          _XML),
    Check("B409", "import_xml_pulldom", "S409", "suspicious-xml-pulldom-import", (), _IMPORTS,
          _XML),
    Check("B410", "import_lxml", "S410", "suspicious-lxml-import", (), _IMPORTS, _XML,
          retired=True),
    Check("B411", "import_xmlrpclib", "S411", "suspicious-xmlrpc-import", (), _IMPORTS,
          ("SR402",)),
    Check("B412", "import_httpoxy", "S412", "suspicious-httpoxy-import", (), _IMPORTS),
    Check("B413", "import_pycrypto", "S413", "suspicious-pycrypto-import", (), _IMPORTS,
          ("SR406",)),
    Check("B414", "import_pycryptodome", "", "", (), _IMPORTS, retired=True),
    Check("B415", "import_pyghmi", "S415", "suspicious-pyghmi-import", (), _IMPORTS),
    Check("B501", "request_with_no_cert_validation", "S501", "request-with-no-cert-validation",
          ("SR403",)),
    Check("B502", "ssl_with_bad_version", "S502", "ssl-insecure-version", ("SR404",)),
    Check("B503", "ssl_with_bad_defaults", "S503", "ssl-with-bad-defaults", ("SR404",)),
    Check("B504", "ssl_with_no_version", "S504", "ssl-with-no-version", ("SR404",)),
    Check("B505", "weak_cryptographic_key", "S505", "weak-cryptographic-key", ("SR407",)),
    Check("B506", "yaml_load", "S506", "unsafe-yaml-load", ("SR302", "SR905")),
    Check("B507", "ssh_no_host_key_verification", "S507", "ssh-no-host-key-verification",
          ("SR403",)),
    Check("B508", "snmp_insecure_version", "S508", "snmp-insecure-version", (),
          _NO_CHECK + " (SNMP)"),
    Check("B509", "snmp_weak_cryptography", "S509", "snmp-weak-cryptography", (),
          _NO_CHECK + " (SNMP)"),
    Check("B601", "paramiko_calls", "S601", "paramiko-call", (),
          "commands run over SSH are not modelled", ("SR901",)),
    Check("B602", "subprocess_popen_with_shell_equals_true", "S602",
          "subprocess-popen-with-shell-equals-true", ("SR201", "SR901")),
    Check("B603", "subprocess_without_shell_equals_true", "S603",
          "subprocess-without-shell-equals-true", ("SR901",),
          "argument lists that start a shell (`[\"sh\", \"-c\", cmd]`); other lists are not "
          "reported"),
    Check("B604", "any_other_function_with_shell_equals_true", "S604",
          "call-with-shell-equals-true", ("SR201", "SR901")),
    Check("B605", "start_process_with_a_shell", "S605", "start-process-with-a-shell",
          ("SR202", "SR901")),
    Check("B606", "start_process_with_no_shell", "S606", "start-process-with-no-shell",
          ("SR203",)),
    Check("B607", "start_process_with_partial_path", "S607", "start-process-with-partial-path",
          (), _NO_CHECK + " (a program found on PATH)", ("SR203",)),
    Check("B608", "hardcoded_sql_expressions", "S608", "hardcoded-sql-expression", _SQL),
    Check("B609", "linux_commands_wildcard_injection", "S609",
          "unix-command-wildcard-injection", (),
          "wildcards in constant commands are not checked; a command built from data is "
          "SR201/SR202's", ("SR201", "SR202")),
    Check("B610", "django_extra_used", "S610", "django-extra", _SQL),
    Check("B611", "django_rawsql_used", "S611", "django-raw-sql", _SQL),
    Check("B612", "logging_config_insecure_listen", "S612", "logging-config-insecure-listen",
          (), _NO_CHECK),
    Check("B613", "trojansource", "", "", ("SR801",)),
    Check("B614", "pytorch_load", "", "", ("SR303", "SR905")),
    Check("B615", "huggingface_unsafe_download", "", "", (),
          _NO_CHECK + " (unpinned model downloads)", ("SR303",)),
    Check("B701", "jinja2_autoescape_false", "S701", "jinja2-autoescape-false", ("SR703",)),
    Check("B702", "use_of_mako_templates", "S702", "mako-templates", ("SR703",),
          "Mako templates without the `h` filter by default"),
    Check("B703", "django_mark_safe", "", "", ("SR701", "SR906")),
    Check("B704", "markupsafe_markup_xss", "S704", "unsafe-markup-use", ("SR701", "SR906")),
)
# fmt: on

_ID = re.compile(r"^[BbSs]\d{3}$")


def is_foreign_id(text: str) -> bool:
    """A Bandit test id (B602) or a Ruff flake8-bandit code (S602), known or not."""
    return bool(_ID.match(text.strip()))


@cache
def _index() -> dict[str, Check]:
    index: dict[str, Check] = {}
    for check in CHECKS:
        for key in (check.bandit, check.ruff, check.bandit_name.lower(), check.ruff_name):
            if key:
                index.setdefault(key.upper() if is_foreign_id(key) else key, check)
    return index


def lookup(key: str) -> Check | None:
    """The check of a Bandit id or test name, or a Ruff code or rule name."""
    key = key.strip()
    return _index().get(key.upper() if is_foreign_id(key) else key.lower())


def normalise(key: str) -> str | None:
    """The id a comment or selector names: `B602` for `subprocess_popen_with_shell_equals_true`,
    `S602` for `s602`; None when the tools do not know it."""
    key = key.strip()
    check = lookup(key)
    if check is None:
        return None
    if is_foreign_id(key):
        return key.upper()
    return check.ruff if key.lower() == check.ruff_name else check.bandit


def rules_for(key: str) -> tuple[str, ...]:
    check = lookup(key)
    return check.rules if check is not None else ()


@cache
def ids_of_rule(rule_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(Bandit ids, Ruff codes) that a secreview rule covers."""
    bandit = tuple(c.bandit for c in CHECKS if rule_id in c.rules and c.bandit)
    ruff = tuple(c.ruff for c in CHECKS if rule_id in c.rules and c.ruff)
    return bandit, ruff


def no_equivalent_message(key: str) -> str:
    """One line for an id that covers nothing here: what it is, why, and what is nearest."""
    check = lookup(key)
    if check is None:
        return (
            f"{key} is not a Bandit test or a Ruff flake8-bandit rule "
            "(docs/migration.md lists those secreview knows)"
        )
    text = f"{check.label(normalise(key) or key)} has no secreview equivalent"
    if check.note:
        text += f": {check.note}"
    if check.nearest:
        text += f"; nearest: {', '.join(check.nearest)}"
    return text


def describe_rule_ids(rule_id: str) -> str:
    """`Bandit B602, B604; Ruff S602, S604`, or "" for a rule the other tools lack."""
    bandit, ruff = ids_of_rule(rule_id)
    parts = [f"Bandit {', '.join(bandit)}"] if bandit else []
    if ruff:
        parts.append(f"Ruff {', '.join(ruff)}")
    return "; ".join(parts)


def compact_ids(ids: tuple[str, ...]) -> str:
    """`B313-B320 S313-S320` for runs of consecutive ids, so a listing stays narrow."""
    runs: list[list[str]] = []
    for foreign_id in ids:
        last = runs[-1][-1] if runs else ""
        if last and last[0] == foreign_id[0] and int(foreign_id[1:]) == int(last[1:]) + 1:
            runs[-1].append(foreign_id)
        else:
            runs.append([foreign_id])
    return " ".join(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)
