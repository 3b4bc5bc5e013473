"""CWE-319: cleartext transmission of sensitive information."""
