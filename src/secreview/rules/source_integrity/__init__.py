"""CWE-838 / CWE-1007: Trojan Source (bidirectional controls, confusable identifiers)."""
