"""Text as people type it: NFC or NFD, with or without diacritics, any case, stray spaces.

`fold` is the one comparison form for headers, sheet names and option labels: decomposed,
combining marks dropped, đ → d, case-folded, every run of non-letters and non-digits one
space. `fold("  Giới  TÍNH ")`, `fold("gioi tinh")` and `fold("Giới tính")` in NFD are equal,
and so are a key and its spaced form (`fu_methadone_status` ~ `fu methadone status`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").casefold()
    return _NON_WORD.sub(" ", stripped).strip()


def clean(text: str) -> str:
    """A cell's text as stored: NFC, no zero-width or non-breaking oddities, single spaces."""
    if text.isascii() and "  " not in text and "\t" not in text and "\n" not in text and "\r" not in text:
        return text.strip()
    normal = unicodedata.normalize("NFC", text.replace("\u00a0", " ").replace("\ufeff", "").replace("\u200b", ""))
    return _SPACES.sub(" ", normal).strip()


def code_key(text: str) -> str:
    """How member codes compare: case and spaces do not make two codes different."""
    if text.isascii() and " " not in text:
        return text.casefold()
    return _SPACES.sub("", unicodedata.normalize("NFC", text)).casefold()
