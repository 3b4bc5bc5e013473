"""CWE-611 / CWE-776: XML external entities and entity expansion."""
