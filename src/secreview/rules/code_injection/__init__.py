"""CWE-94 / CWE-95 / CWE-829: code injection, eval and dynamic imports."""
