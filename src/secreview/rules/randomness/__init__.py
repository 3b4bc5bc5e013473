"""CWE-330 / CWE-338: insufficiently random values for secrets."""
