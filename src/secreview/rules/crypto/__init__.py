"""CWE-327 / CWE-328 / CWE-326: broken or risky cryptography (weak hashes, ciphers, key sizes)."""
