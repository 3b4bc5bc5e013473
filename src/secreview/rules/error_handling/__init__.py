"""CWE-390 / CWE-396 / CWE-617 / CWE-778: swallowed errors, catch-alls and asserts as checks."""
