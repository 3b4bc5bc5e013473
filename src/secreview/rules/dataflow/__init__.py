"""Data-flow rules: untrusted input reaching an injection sink (CWE-78, 89, 94, 22, 502, 79, …).

Each rule is a few lines of data on top of the solver in `secreview.engine.taint`; its sinks,
sources and sanitizers live in the models (`secreview/models/*.toml`).
"""
