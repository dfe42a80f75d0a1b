"""`ValidationUtils#emailIsValid`: commons-validator's `EmailValidator.getInstance()` (no local
addresses), commons-validator 1.10.1 on dhis2-core 2.41.9, 2.42.5 and 2.43.1 (`dhis-2/pom.xml`).

- `EmailValidator#isValid`: not ending in `.`, `^(.+)@(\\S+)$` (the last `@` splits; Java's `.`
  is no line terminator, so none is in the user part), a user
  part of at most 64 characters of dot-separated words (`USER_REGEX`: unquoted characters other
  than white space, controls and `()<>@,;:'\\".[]`, a backslash escape, `'`, or a quoted
  string), and a valid domain;
- the domain: `[ip]` is an IPv4/IPv6 address (`InetAddressValidator`); otherwise
  `DomainValidator#isValid` (IDN to ASCII, at most 253 characters, labels of letters, digits and
  inner hyphens up to 63 characters, a top label starting with a letter, one trailing dot
  allowed) with a known top-level domain. `getInstance()` is `new EmailValidator(false, false)`
  (commons-validator 1.10.1 `EmailValidator.java` :58, :83-85): with `allowTld` false
  `#isValidDomain` (:209-212) takes no bare top-level domain (`a@com`), and with `allowLocal`
  false `DomainValidator#isValid` takes no dotless host (`a@localhost`).
Not modelled: commons-validator's list of top-level domains (`DomainValidator`'s
INFRASTRUCTURE/GENERIC/COUNTRY_CODE_TLDS). What counts as one here: an ASCII top label of two or
more letters, or an IDN top label (`xn--…`, or Unicode that `IDN.toASCII` turns into one) whose
Unicode form is letters and combining marks (`DomainValidator#isValid` :2209-2226 looks the
ASCII top label up), so `рф`/`xn--p1ai` passes as in Java, while `invalid` or `xn--e1afmkfd`
(`пример`) pass here although that list lacks them.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata

_SPECIAL = r"\x00-\x1f\x7f\(\)<>@,;:'\\\"\.\[\]"
_VALID = rf"(?:\\.)|[^ \t\n\x0b\f\r{_SPECIAL}]"
_QUOTED = r'(?:"(?:\\"|[^"])*")'
_WORD = rf"(?:(?:{_VALID}|')+|{_QUOTED})"
_USER = re.compile(rf"{_WORD}(?:\.{_WORD})*")
# EMAIL_REGEX `^(.+)@(\\S+)$` and IP_DOMAIN_REGEX `^\\[(.*)\\]$` with `Matcher#matches`: Java's `.`
# is no line terminator (\n, \r, U+0085, U+2028, U+2029) where Python's is only no \n, and its
# `\S` any char but ASCII white space
_JAVA_DOT = r"[^\n\r\x85\u2028\u2029]"
_EMAIL = re.compile(rf"({_JAVA_DOT}+)@([^ \t\n\x0b\f\r]+)")
_IP_DOMAIN = re.compile(rf"\[({_JAVA_DOT}*)\]")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TOP = r"[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"(?:{_LABEL}\.)+({_TOP})\.?")


def _tld(label: str) -> bool:
    """The stand-in for `DomainValidator#isValidTld` (allowLocal false) of an ASCII top label."""
    label = label.lower()
    if label.startswith("xn--"):
        # IDN top-level domains are on the list in their ASCII (punycode) form, e.g. xn--p1ai.
        try:
            unicode_label = label.encode("ascii").decode("idna")
        except UnicodeError:
            return False
        return not unicode_label.isascii() and all(
            unicodedata.category(char)[0] in "LM" for char in unicode_label)
    return len(label) >= 2 and label.isalpha()


def _ascii(domain: str) -> str:
    """`DomainValidator#unicodeToASCII`: IDN.toASCII, the input itself when that fails."""
    if domain.isascii():
        return domain
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def _domain(domain: str) -> bool:
    ip = _IP_DOMAIN.fullmatch(domain)
    if ip:
        try:
            ipaddress.ip_address(ip.group(1))
        except ValueError:
            return False
        return True
    # Only `DomainValidator#isValid`: getInstance() neither allows a bare top-level domain
    # (allowTld false) nor a dotless local host (allowLocal false).
    ascii_domain = _ascii(domain)
    if len(ascii_domain) > 253:
        return False
    match = _DOMAIN.fullmatch(ascii_domain)
    return match is not None and _tld(match.group(1))


def is_valid_domain(domain: str) -> bool:
    """`DomainValidator.getInstance().isValid` as approximated above (no `[ip]` form)."""
    return not domain.startswith("[") and _domain(domain)


def is_valid(email: str) -> bool:
    if email.endswith("."):
        return False
    match = _EMAIL.fullmatch(email)
    if not match or len(match.group(1)) > 64 or not _USER.fullmatch(match.group(1)):
        return False
    return _domain(match.group(2))
