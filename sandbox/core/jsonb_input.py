"""What PostgreSQL's `jsonb` input refuses in a JSON text Jackson and jsontree accept: a `\\u0000`
escape (jsonb holds text, which has no NUL) and a surrogate escape without its partner.

DHIS2 hands the datastore value to PostgreSQL as it was sent (a jsonb `PGobject`,
`JsonBinaryPlainStringType#nullSafeSet`, or `cast(:value as jsonb)`), so these are refused by
the server's JSON lexer (`src/common/jsonapi.c#json_lex_string`, `utils/adt/jsonfuncs.c
#json_ereport_error`, `utils/adt/json.c#report_json_context`), the escapes read in document
order:

- `\\u0000`: SQLSTATE 22P05 "unsupported Unicode escape sequence", detail "\\u0000 cannot be
  converted to text.";
- a low surrogate without a high one before it, or a high one followed by anything but a low
  one: 22P02 "invalid input syntax for type json", "Unicode low surrogate must follow a high
  surrogate."; a high one after a high one: "Unicode high surrogate must not follow a high
  surrogate.";
- the context "JSON data, line <n>: <text>": the line up to the end of the offending token
  (the escape, or the character after a lone high surrogate), at most the last 49 bytes (whole
  characters) with "..." before when cut (unless only 3 bytes or fewer would be cut), and "..."
  after unless the input or the line ends there.

PgJDBC's `ServerErrorMessage#toString` renders it as "ERROR: <message>\\n  Detail: <detail>\\n
  Where: <context>" (no position: the text is a parameter). Checked against PostgreSQL 15.
"""

from __future__ import annotations

_ZERO = ("unsupported Unicode escape sequence", "\\u0000 cannot be converted to text.")
_LOW = ("invalid input syntax for type json",
        "Unicode low surrogate must follow a high surrogate.")
_HIGH = ("invalid input syntax for type json",
         "Unicode high surrogate must not follow a high surrogate.")


def _char_length(data: bytes, at: int) -> int:
    lead = data[at]
    return 1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4


def _context(data: bytes, line: int, line_start: int, end: int) -> str:
    start = line_start
    while end - start >= 50:
        start += _char_length(data, start)
    if start - line_start <= 3:
        start = line_start
    prefix = "..." if start > line_start else ""
    suffix = "..." if end < len(data) and data[end:end + 1] not in (b"\n", b"\r") else ""
    text = data[start:end].decode("utf-8", "replace")
    return f"JSON data, line {line}: {prefix}{text}{suffix}"


def refusal(text: str) -> str | None:
    """PgJDBC's message for PostgreSQL's refusal of `text` (valid JSON) as jsonb, or None."""
    data = text.encode("utf-8", "surrogatepass")
    line, line_start, at = 1, 0, 0
    while at < len(data):
        byte = data[at]
        if byte == 0x0A:
            line, line_start = line + 1, at + 1
        if byte != 0x22:  # outside strings only whitespace can hold a newline
            at += 1
            continue
        at += 1
        high = False
        while True:
            byte = data[at]
            if byte == 0x22 and not high:
                at += 1
                break
            if byte == 0x5C and data[at + 1] == 0x75:  # \uXXXX
                end = at + 6
                code = int(data[at + 2:end], 16)
                problem = None
                if 0xD800 <= code <= 0xDBFF:
                    problem = _HIGH if high else None
                    high = True
                elif 0xDC00 <= code <= 0xDFFF:
                    problem = None if high else _LOW
                    high = False
                elif high:
                    problem = _LOW
                elif code == 0:
                    problem = _ZERO
            else:
                end = at + (2 if byte == 0x5C else _char_length(data, at))
                problem = _LOW if high else None
            if problem is not None:
                message, detail = problem
                return (f"ERROR: {message}\n  Detail: {detail}\n  Where: "
                        + _context(data, line, line_start, end))
            at = end
    return None
