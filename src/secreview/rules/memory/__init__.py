"""CWE-120 / CWE-787: memory safety of ctypes operations."""
