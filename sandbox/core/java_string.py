"""`java.lang.String` as Java reads it. `#trim`: every character up to U+0020 goes from both
ends (the controls too), no Unicode space beyond it (a no-break space stays). `#length`:
UTF-16 units."""

from __future__ import annotations

_TRIMMED = "".join(map(chr, range(0x21)))


def trim(text: str) -> str:
    return text.strip(_TRIMMED)


def length(text: str) -> int:
    """`String#length`: UTF-16 units, so a character beyond the BMP counts two."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2
