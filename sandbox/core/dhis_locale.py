"""DHIS2's own locale record, `dhis-api/.../common/Locale.java` (2.42.5 = 2.43.1), which the
2.42+ settings whose default is a Locale are read and written with: `setting/LazySettings.java
#format` (:308) stores a written value as `Locale#of(value)#toString`, an IllegalArgumentException
being the write's 400; `#asLocale` (:212-215) reads a stored value the same way, the default
when it does not parse.

`Locale#of(String)` (:67-80): two or three characters are the language; five with a `-` or `_`
third are language and region; else the text split on `-|_#|_` (Java's `String#split`, trailing
empty parts dropped) must give two parts (language, region) or three (language, script, region
when the middle one is a script, else language, region, script). The record's constructor
(:115-130) wants a language of two or three ASCII lower-case letters, a region of two ASCII
capitals or three digits, a script of a capital and three lower-case letters, a script only with
a region, and maps `iw`/`ji`/`in` to `he`/`yi`/`id`. `#toString` (:176-180) joins language,
region and script with `_`.
"""

from __future__ import annotations

import re

_OLD_CODES = {"iw": "he", "ji": "yi", "in": "id"}


def _lower(text: str) -> bool:
    return all("a" <= c <= "z" for c in text)


def _language(text: str) -> bool:
    return 2 <= len(text) <= 3 and _lower(text)


def _region(text: str | None) -> bool:
    if text is None:
        return True
    if len(text) == 2:
        return all("A" <= c <= "Z" for c in text)
    return len(text) == 3 and all("0" <= c <= "9" for c in text)


def _script(text: str | None) -> bool:
    if text is None:
        return True
    return len(text) == 4 and "A" <= text[0] <= "Z" and _lower(text[1:])


def _record(language: str, region: str | None, script: str | None) -> str:
    if not (_language(language) and _region(region) and _script(script)):
        raise ValueError(language)
    if script is not None and region is None:
        raise ValueError(script)
    text = _OLD_CODES.get(language, language)
    if region is None and script is None:
        return text
    return f"{text}_{region}" + ("" if script is None else f"_{script}")


def normalise(value: str) -> str:
    """`Locale.of(value).toString()`; ValueError where DHIS2 throws IllegalArgumentException."""
    if len(value) in (2, 3):
        return _record(value, None, None)
    if len(value) == 5 and value[2] in "-_":
        return _record(value[:2], value[3:5], None)
    parts = re.split("-|_#|_", value)
    while parts and parts[-1] == "":
        parts.pop()  # String#split with no limit drops trailing empty strings
    if len(parts) == 2:
        return _record(parts[0], parts[1], None)
    if len(parts) == 3:
        if _script(parts[1]):
            return _record(parts[0], parts[2], parts[1])
        return _record(parts[0], parts[1], parts[2])
    raise ValueError(value)
