"""CWE-79 / CWE-1336 / CWE-352 / CWE-284 / CWE-862: HTML, templates, CSRF, access control."""
