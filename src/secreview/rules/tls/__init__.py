"""CWE-295 / CWE-326 / CWE-327: certificate validation and TLS protocol strength."""
