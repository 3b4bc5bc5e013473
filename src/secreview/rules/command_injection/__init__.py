"""CWE-78 / CWE-77: OS command injection."""
