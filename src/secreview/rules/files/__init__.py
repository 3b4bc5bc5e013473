"""CWE-377 / CWE-732 / CWE-22: temporary files, file permissions and archive extraction."""
