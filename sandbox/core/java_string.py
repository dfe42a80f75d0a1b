"""`java.lang.String` as Java reads it. `#trim`: every character up to U+0020 goes from both
ends (the controls too), no Unicode space beyond it (a no-break space stays). `#length`:
UTF-16 units. `#substring`'s StringIndexOutOfBoundsException text per JDK."""

from __future__ import annotations

_TRIMMED = "".join(map(chr, range(0x21)))


def trim(text: str) -> str:
    return text.strip(_TRIMMED)


def length(text: str) -> int:
    """`String#length`: UTF-16 units, so a character beyond the BMP counts two."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def substring_bounds_message(begin: int, end: int, length: int, range_message: bool) -> str:
    """`String#substring(begin, end)` out of bounds: JDK 17's `#checkBoundsBeginEnd` "begin b,
    end e, length n"; JDK 21's `Preconditions#checkFromToIndex` "Range [b, e) out of bounds for
    length n" (`Release.jdk_range_bounds_message`)."""
    return (f"Range [{begin}, {end}) out of bounds for length {length}" if range_message
            else f"begin {begin}, end {end}, length {length}")
