"""Vietnamese place names as people write them, folded into keys that compare equal.

"Tỉnh Bà Rịa-Vũng Tàu", "BA RIA - VUNG TAU" and "Bà Rịa – Vũng Tàu" give one key; so do
"TP. Hồ Chí Minh", "Tp Hồ Chí Minh" and "Thành phố Hồ Chí Minh"; "Khánh Hoà" (old tone
placement) and "Khánh Hòa" (new); NFC and NFD. A key keeps the kind the prefix named
(ward, commune, district, …) so that "Phường 1" and "Xã 1" can still be told apart when both
exist. `ProvinceTable` reads the official old → new province table shipped in
`data/vn_provinces_2025.json` (sources cited in the file).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import Any

# Leading words that name the kind of unit, as ASCII token sequences (longest first), with
# their family. "thanh pho" is a province-level city or a district-level city by level.
PREFIXES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("thanh", "pho"), "city"),
    (("thi", "tran"), "township"),
    (("thi", "xa"), "town"),
    (("dac", "khu"), "special-zone"),
    (("tinh",), "province"),
    (("tp",), "city"),
    (("quan",), "urban-district"),
    (("huyen",), "district"),
    (("tx",), "town"),
    (("tt",), "township"),
    (("phuong",), "ward"),
    (("xa",), "commune"),
    (("p",), "ward"),
    (("q",), "urban-district"),
    (("h",), "district"),
)
PROVINCE_KINDS = frozenset({"province", "city"})
DISTRICT_KINDS = frozenset({"city", "urban-district", "district", "town"})
COMMUNE_KINDS = frozenset({"ward", "commune", "township", "special-zone"})

_PUNCTUATION = re.compile(r"[\s\-&+‐‑‒–—―_/.,;:()\[\]'\"“”‘’]+")
# Old-style tone placement on the last vowel of oa/oe/uy at the end of a word ("hoà") moved
# to the new style ("hòa"), so that both spellings fold to one exact key.
_TONES = {"\u0300": "grave", "\u0301": "acute", "\u0309": "hook", "\u0303": "tilde", "\u0323": "dot"}
_OLD_STYLE = re.compile(r"([oOuU])([aAeEyY])([\u0300\u0301\u0309\u0303\u0323])(?=\W|$)")


def _move_tones(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _OLD_STYLE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed))


def ascii_fold(text: str) -> str:
    """Without diacritics: "Đắk Lắk" → "dak lak" (lower case)."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def tokens(text: str) -> list[str]:
    """Lower-case NFC tokens with punctuation and hyphens as separators."""
    cleaned = _move_tones(unicodedata.normalize("NFC", text or "")).lower()
    return [t for t in _PUNCTUATION.split(cleaned) if t]


def _number(token: str) -> str:
    return str(int(token)) if token.isdigit() else token


@dataclass(frozen=True)
class PlaceKey:
    """`ascii`: the name without its prefix, diacritics, case or punctuation; `exact`: the same
    with diacritics; `kind`: the family of the prefix the text started with, if any."""

    ascii: str
    exact: str
    kind: str | None = None


def place_key(text: str) -> PlaceKey:
    words = tokens(text)
    folded = [ascii_fold(w) for w in words]
    kind = None
    for prefix, family in PREFIXES:
        n = len(prefix)
        if tuple(folded[:n]) == prefix and len(folded) > n:
            words, folded, kind = words[n:], folded[n:], family
            break
    return PlaceKey(ascii=" ".join(_number(w) for w in folded), exact=" ".join(_number(w) for w in words), kind=kind)


def plain_key(text: str) -> str:
    """A key for labels (headers, kinds, yes/no): no diacritics, case or punctuation."""
    return " ".join(ascii_fold(w) for w in tokens(text))


# --- the official province table ---------------------------------------------------------


@dataclass
class ProvinceTable:
    """Old (63) and new (34) provincial units by key; `aliases` maps other spellings."""

    source: list[str]
    new: dict[str, str] = field(default_factory=dict)  # key → official new name
    codes: dict[str, str] = field(default_factory=dict)  # new key → new code
    old_to_new: dict[str, str] = field(default_factory=dict)  # old key → new key (survivors too)
    parts: dict[str, list[str]] = field(default_factory=dict)  # new key → old keys merged into it
    old_names: dict[str, str] = field(default_factory=dict)  # old key → official old name
    aliases: dict[str, str] = field(default_factory=dict)  # other spelling → key

    def canonical(self, key: str) -> str:
        return self.aliases.get(key, key)

    def new_of(self, key: str) -> str | None:
        """The key of the new unit that an old (or new) province name belongs to."""
        key = self.canonical(key)
        return self.old_to_new.get(key) or (key if key in self.new else None)

    def is_absorbed(self, key: str) -> bool:
        """An old province that no longer exists under its own name."""
        key = self.canonical(key)
        return key in self.old_to_new and self.old_to_new[key] != key

    def known(self, key: str) -> bool:
        key = self.canonical(key)
        return key in self.new or key in self.old_to_new


def _key(name: str) -> str:
    return place_key(name).ascii


def build_table(document: dict[str, Any]) -> ProvinceTable:
    table = ProvinceTable(source=list(document.get("source", [])))
    for unit in document["provinces"]:
        new_key = _key(unit["name"])
        table.new[new_key] = unit["name"]
        table.codes[new_key] = unit["code"]
        for alias in unit.get("also", []):
            table.aliases[_key(alias)] = new_key
            table.aliases[plain_key(alias).replace(" ", "")] = new_key
        for old in unit["merged"]:
            old_key = _key(old["name"])
            table.old_to_new[old_key] = new_key
            table.old_names[old_key] = old["name"]
            table.parts.setdefault(new_key, []).append(old_key)
            for alias in old.get("also", []):
                table.aliases[_key(alias)] = old_key
                table.aliases[plain_key(alias).replace(" ", "")] = old_key
    return table


@lru_cache(maxsize=1)
def province_table() -> ProvinceTable:
    resource = files("scdi.connector.provision") / "data" / "vn_provinces_2025.json"
    return build_table(json.loads(resource.read_text(encoding="utf-8")))
