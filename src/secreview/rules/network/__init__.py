"""CWE-1327 / CWE-400: servers bound to every interface and network calls without timeouts."""
