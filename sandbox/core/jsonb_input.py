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

`lenient_refusal` covers the texts that are no JSON but pass `DefaultDatastoreService
#validateEntry` all the same (`JsonNode.of(value).visit(JsonNode::value)`, json-tree 1.8.1
`JsonTree#skipNumber`, `#expectCommaOrEnd`, `#skipArray`/`#skipObject` and the members' and
elements' iterators): a number whose integer part has a leading zero (`01`, `-007.5`), which
`jsonapi.c#json_lex_number` reads as an invalid token up to the end of the alphanumeric run
after it ("Token \"01\" is invalid."), and one comma before a closing `]` or `}` (`[1,]`,
`{"a": 1,}`), where `#parse_array_element` wants a value ("Expected JSON value, but found
\"]\".") and `#parse_object_field` a string ("Expected string, but found \"}\"."); 22P02
"invalid input syntax for type json", the first of them in the text. Not modelled: the `\\u`
escapes json-tree decodes with `Integer#parseInt` and PostgreSQL refuses (a sign, non-ASCII
digits), and which of a string escape's refusal and a later lenient spot comes first.
The lenient spots' messages checked against PostgreSQL 15 too, json-tree's acceptance of each form
against json-tree 1.8.1 built from its sources.
"""

from __future__ import annotations

import json

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


_INVALID = "invalid input syntax for type json"
_JSON_WS = " \t\r\n"


def _pg_alphanumeric(char: str) -> bool:
    """`JSON_ALPHANUMERIC_CHAR`: ASCII letters and digits, `_`, any byte with the high bit."""
    return not char.isascii() or char.isalnum() or char == "_"


def _lenient_spots(text: str) -> tuple[str, list[tuple[str, int, int]]]:
    """The text with json-tree's two leniencies undone (leading zeros dropped, a comma before a
    closing bracket left out) and PostgreSQL's refusal at each: (detail, start, end)."""
    out: list[str] = []
    spots: list[tuple[str, int, int]] = []
    at = 0
    while at < len(text):
        char = text[at]
        if char == '"':  # a string, escapes hopped over
            end = at + 1
            while end < len(text) and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[at:end + 1])
            at = end + 1
        elif char == "-" or "0" <= char <= "9":
            digits = at + (char == "-")
            if digits + 1 < len(text) and text[digits] == "0" and "0" <= text[digits + 1] <= "9":
                token_end = digits + 1
                while token_end < len(text) and _pg_alphanumeric(text[token_end]):
                    token_end += 1
                spots.append((f'Token "{text[at:token_end]}" is invalid.', at, token_end))
                zeros = digits
                while zeros + 1 < len(text) and text[zeros] == "0" and "0" <= text[zeros + 1] <= "9":
                    zeros += 1
                out.append(text[at:digits])
                at = zeros
            else:
                out.append(char)
                at += 1
        elif char == ",":
            after = at + 1
            while after < len(text) and text[after] in _JSON_WS:
                after += 1
            # only after a value: json-tree reads `[,]` as a value that does not start
            if after < len(text) and text[after] in "]}" and "".join(out).rstrip(_JSON_WS)[-1:] not in "[{,":
                found = "JSON value" if text[after] == "]" else "string"
                spots.append((f'Expected {found}, but found "{text[after]}".', after, after + 1))
            else:
                out.append(char)
            at += 1
        else:
            out.append(char)
            at += 1
    return "".join(out), spots


def lenient_refusal(text: str) -> str | None:
    """PgJDBC's message for PostgreSQL's refusal of a text strict JSON refuses but json-tree
    accepts (see above), or None when json-tree refuses it too."""
    undone, spots = _lenient_spots(text)
    if not spots:
        return None
    try:
        json.loads(undone, parse_constant=_refuse_constant)
    except ValueError:
        return None  # something else json-tree refuses as well
    detail, start, end = spots[0]
    before = text[:start]
    line_start = before.rfind("\n") + 1
    data = text.encode("utf-8", "surrogatepass")

    def offset(index: int) -> int:
        return len(text[:index].encode("utf-8", "surrogatepass"))

    return (f"ERROR: {_INVALID}\n  Detail: {detail}\n  Where: "
            + _context(data, before.count("\n") + 1, offset(line_start), offset(end)))


def _refuse_constant(name: str) -> None:
    raise ValueError(name)  # NaN and Infinity are Python's, not JSON's
