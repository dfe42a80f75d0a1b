"""`String#equalsIgnoreCase` as Java compares: the same length in UTF-16 units, then code point
by code point (JDK 17 `StringUTF16#regionMatchesCI`, JDK 21 the same), two equal when they
are, or their `Character#toUpperCase` are, or the `Character#toLowerCase` of those are. These
are Unicode's simple (one to one) case mappings, with no context, where Python's `str.lower`
applies the full ones: `ΑΣ` equals `ασ` (no final sigma), `İ` equals `i` and `ı` equals `I`
(`İ` lower-cases to `i` alone), `ﬀ` is no `FF`.
"""

from __future__ import annotations


def _units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _simple(mapped: str, char: str) -> str:
    """A one-to-one mapping, else the character itself (Character#toUpperCase of `ß` is `ß`)."""
    return mapped if len(mapped) == 1 else char


def _upper(char: str) -> str:
    return _simple(char.upper(), char)


def to_upper_case(char: str) -> str:
    """Character#toUpperCase(char) of one character."""
    return _upper(char)


def _lower(char: str) -> str:
    if char == "\u0130":  # its simple lower-case mapping; the full one adds a combining dot
        return "i"
    return _simple(char.lower(), char)


def equals_ignore_case(a: str, b: str) -> bool:
    if _units(a) != _units(b):
        return False
    if len(a) != len(b):  # a supplementary character against two BMP ones
        return False
    for c1, c2 in zip(a, b, strict=True):
        if c1 == c2:
            continue
        u1, u2 = _upper(c1), _upper(c2)
        if u1 == u2 or _lower(u1) == _lower(u2):
            continue
        return False
    return True


def contains_ignore_case(text: str, search: str) -> bool:
    """commons-lang3 `StringUtils#containsIgnoreCase`: `search` found at some offset of `text`
    by `String#regionMatches(true, …)`, the comparison of `equals_ignore_case`."""
    size = len(search)
    return any(equals_ignore_case(text[i:i + size], search) for i in range(len(text) - size + 1))
