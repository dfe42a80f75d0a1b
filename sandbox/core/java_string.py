"""`String#trim` as Java reads it: every character up to U+0020 goes from both ends (the
controls too), no Unicode space beyond it (a no-break space stays)."""

from __future__ import annotations

_TRIMMED = "".join(map(chr, range(0x21)))


def trim(text: str) -> str:
    return text.strip(_TRIMMED)
