"""secreview: a security code reviewer for Python, organised by CWE."""

__version__ = "0.1.0"
