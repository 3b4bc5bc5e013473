"""Cookies and session settings: Secure (CWE-614), HttpOnly (CWE-1004), SameSite (CWE-1275)."""
