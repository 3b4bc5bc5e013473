"""CWE identifiers and their names as MITRE spells them."""

from __future__ import annotations

CWE_NAMES: dict[int, str] = {
    20: "Improper Input Validation",
    22: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
    77: "Improper Neutralization of Special Elements used in a Command ('Command Injection')",
    78: "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
    79: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
    88: "Improper Neutralization of Argument Delimiters in a Command ('Argument Injection')",
    89: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
    90: "Improper Neutralization of Special Elements used in an LDAP Query ('LDAP Injection')",
    94: "Improper Control of Generation of Code ('Code Injection')",
    95: "Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')",
    117: "Improper Output Neutralization for Logs",
    120: "Buffer Copy without Checking Size of Input ('Classic Buffer Overflow')",
    125: "Out-of-bounds Read",
    170: "Improper Null Termination",
    208: "Observable Timing Discrepancy",
    209: "Generation of Error Message Containing Sensitive Information",
    215: "Insertion of Sensitive Information Into Debugging Code",
    259: "Use of Hard-coded Password",
    284: "Improper Access Control",
    295: "Improper Certificate Validation",
    319: "Cleartext Transmission of Sensitive Information",
    321: "Use of Hard-coded Cryptographic Key",
    326: "Inadequate Encryption Strength",
    327: "Use of a Broken or Risky Cryptographic Algorithm",
    328: "Use of Weak Hash",
    330: "Use of Insufficiently Random Values",
    338: "Use of Cryptographically Weak Pseudo-Random Number Generator (PRNG)",
    347: "Improper Verification of Cryptographic Signature",
    352: "Cross-Site Request Forgery (CSRF)",
    377: "Insecure Temporary File",
    379: "Creation of Temporary File in Directory with Insecure Permissions",
    388: "7PK - Errors",
    390: "Detection of Error Condition Without Action",
    396: "Declaration of Catch for Generic Exception",
    400: "Uncontrolled Resource Consumption",
    409: "Improper Handling of Highly Compressed Data (Data Amplification)",
    489: "Active Debug Code",
    501: "Trust Boundary Violation",
    502: "Deserialization of Untrusted Data",
    532: "Insertion of Sensitive Information into Log File",
    601: "URL Redirection to Untrusted Site ('Open Redirect')",
    605: "Multiple Binds to the Same Port",
    611: "Improper Restriction of XML External Entity Reference",
    614: "Sensitive Cookie in HTTPS Session Without 'Secure' Attribute",
    617: "Reachable Assertion",
    636: "Not Failing Securely ('Failing Open')",
    643: "Improper Neutralization of Data within XPath Expressions ('XPath Injection')",
    650: "Trusting HTTP Permission Methods on the Server Side",
    703: "Improper Check or Handling of Exceptional Conditions",
    732: "Incorrect Permission Assignment for Critical Resource",
    770: "Allocation of Resources Without Limits or Throttling",
    776: "Improper Restriction of Recursive Entity References in DTDs ('XML Entity Expansion')",
    778: "Insufficient Logging",
    787: "Out-of-bounds Write",
    789: "Memory Allocation with Excessive Size Value",
    798: "Use of Hard-coded Credentials",
    829: "Inclusion of Functionality from Untrusted Control Sphere",
    838: "Inappropriate Encoding for Output Context",
    862: "Missing Authorization",
    918: "Server-Side Request Forgery (SSRF)",
    942: "Permissive Cross-domain Policy with Untrusted Domains",
    1004: "Sensitive Cookie Without 'HttpOnly' Flag",
    1007: "Insufficient Visual Distinction of Homoglyphs Presented to User",
    1275: "Sensitive Cookie with Improper SameSite Attribute",
    1327: "Binding to an Unrestricted IP Address",
    1333: "Inefficient Regular Expression Complexity",
    1336: "Improper Neutralization of Special Elements Used in a Template Engine",
}


def cwe_name(cwe: int) -> str:
    return CWE_NAMES.get(cwe, f"CWE-{cwe}")


def cwe_url(cwe: int) -> str:
    return f"https://cwe.mitre.org/data/definitions/{cwe}.html"


def parse_cwe(text: str) -> int | None:
    """``"CWE-89"`` or ``"cwe89"`` to 89; anything else to None."""
    upper = text.strip().upper()
    if not upper.startswith("CWE"):
        return None
    digits = upper[3:].lstrip("-_ ")
    # ASCII digits only ("²".isdigit() is true, and int() refuses it), and no more than a
    # CWE id can have (int() refuses over 4,300 digits)
    if digits.isascii() and digits.isdecimal() and len(digits) <= 9:
        return int(digits)
    return None
