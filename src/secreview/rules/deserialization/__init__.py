"""CWE-502: deserialization of untrusted data."""
