"""CWE-532 / CWE-208: secrets written to logs and compared in non-constant time."""
