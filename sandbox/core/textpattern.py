"""TextPattern: parsing a pattern into segments and resolving the fixed ones.

dhis2-core 2.42.5 (`dhis-2/` paths):
- `dhis-service-core/.../textpattern/TextPatternParser.java` (segments joined by `+`: `"text"`,
  `RANDOM(#Xx*{1,12})`, `SEQUENTIAL(#{1,12})`, `ORG_UNIT_CODE(format)`, `CURRENT_DATE(format)`;
  `#parse` walks EXPRESSION_REGEX with `Matcher#find`, so it passes over what no segment
  matches, and its messages are `TextPatternParsingException`'s; the same at 2.41.9 and 2.43.1),
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

# java.util.regex as TextPatternParser and TextPatternMethod compile them: `\s` is ASCII white
# space, and `.` any char but a line terminator (Python's `.` only leaves out \n)
_SPACE = r"[ \t\n\x0b\f\r]"
_DOT = r"[^\n\r\x85\u2028\u2029]"
# TextPatternParser.EXPRESSION_REGEX (2.41.9, 2.42.5, 2.43.1): TEXT_REGEX or METHOD_REGEX (a
# method), or JOIN_REGEX; its `(…)+?` takes one of them a match, as `Matcher#find` walks on
_TEXT = rf'"[^"\\]*(?:\\{_DOT}[^"\\]*)*"'
_EXPRESSION = re.compile(
    rf"{_SPACE}*(?:(?P<Method>{_TEXT}|(?P<MethodName>[A-Z_]+?)\({_DOT}*?\))"
    rf"|(?P<Join>{_SPACE}*(?P<Plus>\+){_SPACE}*)){_SPACE}*")
# TextPatternMethod's patterns, each matched whole (`BaseMethodType#validatePattern`)
_METHODS = {
    "RANDOM": re.compile(r"RANDOM\(([#Xx*]{1,12})\)"),
    "SEQUENTIAL": re.compile(r"SEQUENTIAL\((#{1,12})\)"),
    "ORG_UNIT_CODE": re.compile(r"ORG_UNIT_CODE\((|\^?\.+?\$?)\)"),
    "CURRENT_DATE": re.compile(rf"CURRENT_DATE\(({_DOT}+?)\)"),
}
CHARSETS = {"#": string.digits, "X": string.ascii_uppercase, "x": string.ascii_lowercase,
            "*": string.ascii_letters + string.digits}


class PatternError(ValueError):
    """`TextPatternParser.TextPatternParsingException`: "Could not parse expression: " and the
    reason, with the 1-based position where the parser names one."""

    def __init__(self, reason: str, position: int = -1) -> None:
        where = f" at position {position + 1}" if position != -1 else ""
        super().__init__(f"Could not parse expression: {reason}{where}")


def parse(pattern: str) -> list[tuple[str, str, str]]:
    """Segments as (method, format, raw); method TEXT for quoted literals.

    `TextPatternParser#parse`: every `Matcher#find` of EXPRESSION_REGEX in turn, so what no
    match covers is passed over (`"a"x` is the text `a`); a method that its TextPatternMethod's
    pattern does not match whole fails the parse, as does a join not after a segment, no match
    at all, or a join last."""
    if not pattern:
        raise PatternError("Supplied expression was null or empty.")
    segments: list[tuple[str, str, str]] = []
    matched = after_segment = False
    for match in _EXPRESSION.finditer(pattern):
        matched = True
        raw = match.group("Method")
        if raw is None:  # a join
            if not after_segment:
                raise PatternError("Unexpected '+'", match.start("Plus"))
            after_segment = False
            continue
        if match.group("MethodName") is None:
            # TextPatternSegment's parameter is the TEXT pattern's group 1 as it stands
            # (`BaseMethodType#getParam`): an escaped quote keeps its backslash, in the key
            # and the value `DefaultTextPatternService#resolvePattern` builds from it
            segments.append(("TEXT", raw[1:-1], raw))
        else:
            name = match.group("MethodName")
            regex = _METHODS.get(name)
            found = regex.fullmatch(raw) if regex else None
            if found is None:
                raise PatternError(f"Failed to parse the following method: '{raw}'",
                                   match.start("Method"))
            segments.append((name, found.group(1), raw))
        after_segment = True
    if not matched:
        raise PatternError("The expression is invalid")
    if not after_segment:
        raise PatternError("Unexpected '+' at the end of the expression")
    return segments


def fits_value_type(segments: list[tuple[str, str, str]], value_type: object) -> bool:
    """`TextPatternValidationUtils#validateValueType/#isNumericOnly` (2.41.9 :93-123, 2.42.5
    :95-125, 2.43.1 :95-125): TEXT takes any pattern; NUMBER one whose every segment is
    numeric (SEQUENTIAL, RANDOM of `#` only, a text of digits or none, `String#matches` whole);
    any other value type none."""
    if value_type == "TEXT":
        return True
    if value_type != "NUMBER":
        return False
    return all(method == "SEQUENTIAL"
               or (method == "RANDOM" and re.fullmatch(r"#+", fmt) is not None)
               or (method == "TEXT" and re.fullmatch(r"[0-9]*", fmt) is not None)
               for method, fmt, _ in segments)


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


def _java_format(fmt: str) -> str:
    """An ORG_UNIT_CODE format (`^`, dots, `$`) as java.util.regex reads it: `.` no line
    terminator, `$` the end or before a line terminator that ends the text."""
    return fmt.replace(".", _DOT).replace("$", r"(?=(?:\r\n|[\n\r\x85\u2028\u2029])?\Z)")


def _org_unit_code(fmt: str, code: str) -> str:
    """`DefaultTextPatternService#handleRequiredValue` (2.41.9, 2.42.5, 2.43.1):
    `TextPatternMethodUtils#formatText` takes what `(fmt)` matches at the start of the code
    (`Matcher#lookingAt`: `..` the first two characters, `..$` only a code of exactly two, as `$`
    anchors at its end), then `StringMethodType#validateText` wants the dots (without `^`/`$`)
    to match all of it; a code too short, or too long for `…$`, is "Value is invalid: …"."""
    if not fmt:
        return code
    found = re.match(f"({_java_format(fmt)})", code)
    formatted = found.group(0) if found else None
    if formatted is None or not re.fullmatch(_java_format(fmt.replace("^", "").replace("$", "")),
                                             formatted):
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
