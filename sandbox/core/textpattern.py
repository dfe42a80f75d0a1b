"""TextPattern: parsing a pattern into segments and resolving the fixed ones.

dhis2-core 2.42.5 (`dhis-2/` paths):
- `dhis-service-core/.../textpattern/TextPatternParser.java` (segments joined by `+`: `"text"`,
  `RANDOM(#Xx*{1,12})`, `SEQUENTIAL(#{1,12})`, `ORG_UNIT_CODE(format)`, `CURRENT_DATE(format)`),
  `TextPatternMethod.java` (REQUIRED = ORG_UNIT_CODE, OPTIONAL/GENERATED = RANDOM, SEQUENTIAL),
  `TextPatternMethodUtils#generateRandom` (the characters of `#`, `X`, `x`, `*`),
  `StringMethodType` (ORG_UNIT_CODE format: `...` keeps that many leading characters, `^`/`$`
  anchor);
- `DefaultTextPatternService#resolvePattern`: every segment but the generated one resolved
  (the key reserved values are kept under).
Used by the metadata hooks (a generated attribute's pattern must parse) and by reserved values.
"""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime

_SEGMENT = re.compile(r'\s*("(?:[^"\\]|\\.)*"|[A-Z_]+?\(.*?\))\s*(\+|$)')
_METHODS = {
    "RANDOM": re.compile(r"^RANDOM\(([#Xx*]{1,12})\)$"),
    "SEQUENTIAL": re.compile(r"^SEQUENTIAL\((#{1,12})\)$"),
    "ORG_UNIT_CODE": re.compile(r"^ORG_UNIT_CODE\((|\^?\.+?\$?)\)$"),
    "CURRENT_DATE": re.compile(r"^CURRENT_DATE\((.+?)\)$"),
}
CHARSETS = {"#": string.digits, "X": string.ascii_uppercase, "x": string.ascii_lowercase,
            "*": string.ascii_letters + string.digits}


class PatternError(ValueError):
    pass


def parse(pattern: str) -> list[tuple[str, str, str]]:
    """Segments as (method, format, raw); method TEXT for quoted literals."""
    segments: list[tuple[str, str, str]] = []
    rest = pattern.strip()
    if not rest:
        raise PatternError("Supplied expression was null or empty.")
    while rest:
        match = _SEGMENT.match(rest)
        if not match:
            raise PatternError(f"Failed to parse the following method: '{rest}'")
        raw = match.group(1)
        if raw.startswith('"'):
            segments.append(("TEXT", raw[1:-1].replace('\\"', '"'), raw))
        else:
            name = raw.split("(", 1)[0]
            regex = _METHODS.get(name)
            found = regex.match(raw) if regex else None
            if found is None:
                raise PatternError(f"Failed to parse the following method: '{raw}'")
            segments.append((name, found.group(1), raw))
        rest = rest[match.end():].strip()
        if match.group(2) == "+" and not rest:
            raise PatternError("Unexpected '+'")
    return segments


def required_values(segments: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    return {"REQUIRED": [m for m, _, _ in segments if m == "ORG_UNIT_CODE"],
            "OPTIONAL": [m for m, _, _ in segments if m in ("RANDOM", "SEQUENTIAL")]}


def _java_date(fmt: str, now: datetime) -> str:
    """SimpleDateFormat letters DHIS2 patterns use (yyyy, YYYY, yy, MM, dd, HH, mm, ss)."""
    out = fmt
    for token, value in (("yyyy", "%Y"), ("YYYY", "%Y"), ("yy", "%y"), ("YY", "%y"),
                         ("MM", "%m"), ("dd", "%d"), ("HH", "%H"), ("mm", "%M"), ("ss", "%S")):
        out = out.replace(token, value)
    return now.strftime(out)


class GenerationError(ValueError):
    """TextPatternGenerationException: a required value the pattern cannot resolve."""


def _org_unit_code(fmt: str, code: str) -> str:
    """`DefaultTextPatternService#handleRequiredValue` (2.41.9, 2.42.5, 2.43.1):
    `TextPatternMethodUtils#formatText` takes what `(fmt)` matches at the start of the code
    (`Matcher#lookingAt`: `..` the first two characters, `..$` only a code of exactly two, as `$`
    anchors at its end), then `StringMethodType#validateText` wants the dots (without `^`/`$`)
    to match all of it; a code too short, or too long for `…$`, is "Value is invalid: …"."""
    if not fmt:
        return code
    found = re.match(f"({fmt})", code)
    formatted = found.group(0) if found else None
    if formatted is None or not re.fullmatch(fmt.replace("^", "").replace("$", ""), formatted):
        raise GenerationError(f"Value is invalid: ORG_UNIT_CODE -> {code}")
    return formatted


def resolve_key(segments: list[tuple[str, str, str]], values: dict[str, str]) -> str:
    """`DefaultTextPatternService#resolvePattern`: all but the generated segment resolved
    (GenerationError for an ORG_UNIT_CODE its format refuses)."""
    now = datetime.now(UTC)
    parts = []
    for method, fmt, raw in segments:
        if method == "TEXT":
            parts.append(fmt)
        elif method == "ORG_UNIT_CODE":
            parts.append(_org_unit_code(fmt, values.get("ORG_UNIT_CODE", "")))
        elif method == "CURRENT_DATE":
            parts.append(_java_date(fmt, now))
        else:
            parts.append(raw)
    return "".join(parts)
