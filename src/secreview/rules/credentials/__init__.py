"""CWE-798 / CWE-259 / CWE-321: hard-coded credentials, tokens and cryptographic keys."""
