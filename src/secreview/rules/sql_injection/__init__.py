"""CWE-89: SQL injection."""
