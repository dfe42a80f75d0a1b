"""What dhis2 json-tree 1.8.1 (2.43.1's `dhis-json-tree.version`) says about a body it cannot read.

`JsonValue.of(Reader)` reads the whole text and indexes the root value by its first character
only (`JsonTree#autoDetect`): nothing, or a character no JSON value starts with, is a
JsonFormatException at once. Everything else is parsed lazily, when a path is asked for. A
lookup of a member the root object lacks walks every member (`LazyJsonObject#member`: key,
colon, the value skipped by `JsonTree#skipNodeAutodetect`, then a comma or the end), which is
the first check here: a lookup that runs off the end between members finds nothing (no error),
while `#expectCommaOrEnd` and `#skipNodeAutodetect` index the array unchecked at the end of
input, an ArrayIndexOutOfBoundsException. Inside values the skip functions are strict
(`#skipObject`/`#skipArray` expect their closing character, `#skipString` its escapes).
Only the root object's members are walked here: the order of the reader's own lookups (a
member found before the walk reaches an error) and `\\u` escapes of keys, which
`LazyJsonString#parseString` decodes with `Integer#parseInt`, are not modelled.

`root_scalar` is the other reader, `JsonValueUtils#toJavaString` of a whole text (2.42.5 and
2.43.1 both use 1.8.1): the root typed by its first character, a string root decoded (its
`\\u` escapes too) and checked for trailing input, positions counted in UTF-16 units.
"""

from __future__ import annotations

from dataclasses import dataclass

_WS = " \n\t\r"
_ESCAPABLE = '"\\/bfnrtu'
_STARTS = '{["tfn-0123456789'


@dataclass(frozen=True)
class Problem:
    """The exception json-tree throws: a JsonFormatException (an IllegalArgumentException) or
    the ArrayIndexOutOfBoundsException of an unchecked index, with its message."""

    message: str
    out_of_bounds: bool = False


class _Fail(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _unexpected(s: str, index: int, expected: str) -> _Fail:
    """`JsonFormatException#createParseErrorMessage`: 20 characters either side and a pointer."""
    start = max(0, index - 20)
    section = s[start:start + min(len(s) - start, 40)]
    pointer = " " * (index - start) + "^"
    return _Fail(Problem(f"Unexpected character at position {index},\n{section}\n{pointer} "
                         f"expected {expected}"))


def _end_section(s: str, index: int) -> str:
    start = max(0, min(len(s), index) - 20)
    return s[start:start + min(20, len(s))]


def _at(s: str, index: int) -> str:
    if index >= len(s):
        raise _Fail(Problem(f"Index {index} out of bounds for length {len(s)}", out_of_bounds=True))
    return s[index]


def _ws(s: str, index: int) -> int:
    while index < len(s) and s[index] in _WS:
        index += 1
    return index


def _expect(s: str, index: int, char: str) -> int:
    if index >= len(s):
        raise _Fail(Problem(f"Expected {char} but reach EOI: {_end_section(s, index)}"))
    if s[index] != char:
        raise _unexpected(s, index, f"`{char}`")
    return index + 1


def _expect_digit(s: str, index: int) -> int:
    if index >= len(s):
        raise _Fail(Problem(f"Expected character but reached EOI: {_end_section(s, index)}"))
    if not "0" <= s[index] <= "9":
        raise _unexpected(s, index, "start of value")
    return index + 1


def _digits(s: str, index: int) -> int:
    while index < len(s) and "0" <= s[index] <= "9":
        index += 1
    return index


def _skip_one_of(s: str, index: int, chars: str) -> int:
    return index + 1 if index < len(s) and s[index] in chars else index


def _string(s: str, index: int) -> int:
    index = _expect(s, index, '"')
    while index < len(s):
        c = s[index]
        index += 1
        if c == '"':
            return index
        if c == "\\":
            if index >= len(s):
                raise _Fail(Problem("Expected escaped character but reached EOI: "
                                    f"{_end_section(s, index)}"))
            if s[index] not in _ESCAPABLE:
                raise _unexpected(s, index, f"Illegal escaped string character: {s[index]}")
            index += 5 if s[index] == "u" else 1
        elif ord(c) < 0x20:
            raise _unexpected(s, index - 1, "Control code character is not allowed in JSON "
                                            f"string but found: {ord(c)}")
    return _expect(s, index, '"')


def _number(s: str, index: int) -> int:
    index = _skip_one_of(s, index, "-")
    index = _digits(s, _expect_digit(s, index))
    before = index
    index = _skip_one_of(s, index, ".")
    if index > before:
        index = _digits(s, _expect_digit(s, index))
    before = index
    index = _skip_one_of(s, index, "eE")
    if index == before:
        return index
    index = _skip_one_of(s, index, "+-")
    return _digits(s, _expect_digit(s, index))


def _literal(s: str, index: int, word: str) -> int:
    for offset, char in enumerate(word):
        _expect(s, index + offset, char)
    return index + len(word)


def _colon(s: str, index: int) -> int:
    return _ws(s, _expect(s, _ws(s, index), ":"))


def _comma_or_end(s: str, index: int, end: str) -> int:
    index = _ws(s, index)
    c = _at(s, index)
    if c == ",":
        return _ws(s, index + 1)
    if c != end:
        return _expect(s, index, end)
    return index


def _container(s: str, index: int, start: str, end: str) -> int:
    index = _ws(s, _expect(s, index, start))
    while index < len(s) and s[index] != end:
        if start == "{":
            index = _colon(s, _string(s, index))
        index = _comma_or_end(s, _node(s, index), end)
    return _expect(s, index, end)


def _node(s: str, index: int) -> int:
    c = _at(s, index)
    if c in "{[":
        return _container(s, index, c, "}" if c == "{" else "]")
    if c == '"':
        return _string(s, index)
    if c in "tf":
        return _literal(s, index, "true" if c == "t" else "false")
    if c == "n":
        return _literal(s, index, "null")
    return _number(s, index)


def root_object(s: str) -> tuple[Problem | None, str]:
    """What json-tree makes of `s` read as `DataEntryInput#fromJson` reads it: the problem it
    meets, else the root object's members as a JSON object text. A root of another kind answers
    every member lookup with nothing (`JsonTree#checkNodeIs` throws the JsonPathException
    `JsonVirtualTree#value` swallows): "{}"; so does an object cut off after a comma, whose
    members before the cut are still found."""
    start = index = _ws(s, 0)
    try:
        if index >= len(s):
            raise _unexpected(s, index, "a JSON value but found EOI")
        if s[index] not in _STARTS:
            raise _unexpected(s, index, f"start of a JSON value but found: `{s[index]}`")
        if s[index] != "{":
            return None, "{}"
        index = _ws(s, index + 1)
        while index < len(s) and s[index] != "}":
            index = _colon(s, _string(s, index))
            index = _comma_or_end(s, _node(s, index), "}")
    except _Fail as fail:
        return fail.problem, ""
    members = s[start + 1:index].rstrip(_WS)
    return None, "{" + (members[:-1] if members.endswith(",") else members) + "}"


def members(s: str, index: int) -> list[tuple[str, int, int]]:
    """The members of the object whose `{` is at `index` of a text `root_object` accepted, as
    json-tree skips them (`#skipString` hops over `\\u` and four characters unchecked,
    `#skipNumber` takes leading zeros): name, start and end of each value. An object cut off
    after a comma ends where the text does. A name is decoded when it can be (`\\u` escapes of
    names are not modelled: an undecodable one is kept as written)."""
    found: list[tuple[str, int, int]] = []
    index = _ws(s, index + 1)
    while index < len(s) and s[index] != "}":
        end = _string(s, index)
        try:
            name = _string_value(s, index, False)[0]
        except _Fail:
            name = s[index + 1:end - 1]
        start = _colon(s, end)
        index = _node(s, start)
        found.append((name, start, index))
        index = _ws(s, index)
        if index < len(s) and s[index] == ",":
            index = _ws(s, index + 1)
    return found


def elements(s: str, index: int) -> list[tuple[int, int]]:
    """The elements of the array whose `[` is at `index`, skipped as json-tree skips them."""
    found: list[tuple[int, int]] = []
    index = _ws(s, index + 1)
    while index < len(s) and s[index] != "]":
        end = _node(s, index)
        found.append((index, end))
        index = _ws(s, end)
        if index < len(s) and s[index] == ",":
            index = _ws(s, index + 1)
    return found


def string_node(declaration: str, range_message: bool) -> tuple[Problem | None, str]:
    """`JsonString#string()` of a string node (`LazyJsonString#parseString`): its text, or the
    exception decoding it throws, the NumberFormatException (an IllegalArgumentException) of a
    `\\u` escape `Integer#parseInt` cannot read above all ("For input string: "00zz" under
    radix 16"), which the skip functions let through."""
    chars = java_chars(declaration)
    try:
        value, _end = _string_value(chars, 0, range_message)
    except _Fail as fail:
        return fail.problem, ""
    return None, from_java_chars(value)


# --- JsonValueUtils#toJavaString: the root of a text read by `JsonMixed.of(String)` ------------

def java_chars(text: str) -> str:
    """The text as a Java `char[]`: one Python character per UTF-16 unit, so positions count
    as json-tree's do."""
    units = text.encode("utf-16-le", "surrogatepass")
    return "".join(chr(int.from_bytes(units[i:i + 2], "little")) for i in range(0, len(units), 2))


def from_java_chars(chars: str) -> str:
    """A Java string back as text: surrogate pairs joined, a lone surrogate `?` (what Java's
    UTF-8 encoder writes for one)."""
    joined = chars.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return "".join("?" if 0xD800 <= ord(c) <= 0xDFFF else c for c in joined)


def _hex_digit(c: str) -> int | None:
    """Character#digit(c, 16): a Unicode decimal digit, or A-F / a-f, ASCII or fullwidth."""
    if c.isdecimal():
        return int(c)
    for first in ("A", "a", "\uff21", "\uff41"):
        if 0 <= ord(c) - ord(first) < 6:
            return ord(c) - ord(first) + 10
    return None


def _unicode_escape(s: str, index: int, range_message: bool) -> str:
    """`Character#toChars(Integer#parseInt(new String(json, index, 4), 16))`. A text too short
    is `String(char[], int, int)`'s StringIndexOutOfBoundsException from
    `String#checkBoundsOffCount`: JDK 17's own "offset o, count 4, length n", JDK 21's
    `Preconditions#checkFromIndexSize` with SIOOBE_FORMATTER, "Range [o, o + 4) out of bounds
    for length n" (`range_message`: `Release.jdk_range_bounds_message`; both messages checked
    on OpenJDK 17.0.15 and Temurin 25, the second taken to be 21's as its String hands the
    bounds checks to Preconditions)."""
    if index + 4 > len(s):
        raise _Fail(Problem(f"Range [{index}, {index} + 4) out of bounds for length {len(s)}"
                            if range_message else f"offset {index}, count 4, length {len(s)}",
                            out_of_bounds=True))
    digits = s[index:index + 4]
    sign = -1 if digits[0] == "-" else 1
    body = digits[1:] if digits[0] in "+-" else digits
    values = [_hex_digit(c) for c in body]
    if not body or None in values:  # NumberFormatException, an IllegalArgumentException
        raise _Fail(Problem(f'For input string: "{from_java_chars(digits)}" under radix 16'))
    code = sign * int("".join(f"{v:x}" for v in values if v is not None), 16)
    if code < 0:
        raise _Fail(Problem(f"Not a valid Unicode code point: 0x{code & 0xFFFFFFFF:X}"))
    return chr(code)


_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _string_value(s: str, start: int, range_message: bool) -> tuple[str, int]:
    """`LazyJsonString#parseString`: the decoded text and the index after the closing quote."""
    out: list[str] = []
    index = _expect(s, start, '"')
    while index < len(s):
        c = s[index]
        index += 1
        if c == '"':
            return "".join(out), index
        if c == "\\":
            if index >= len(s):
                raise _Fail(Problem("Expected escaped character but reached EOI: "
                                    f"{_end_section(s, index)}"))
            if s[index] not in _ESCAPABLE:
                raise _unexpected(s, index, f"Illegal escaped string character: {s[index]}")
            escape = s[index]
            index += 1
            if escape == "u":
                out.append(_unicode_escape(s, index, range_message))
                index += 4
            else:
                out.append(_ESCAPES[escape])
        elif ord(c) < 0x20:
            raise _unexpected(s, index - 1, "Control code character is not allowed in JSON "
                                            f"string but found: {ord(c)}")
        else:
            out.append(c)
    _expect(s, index, '"')
    raise _Fail(Problem("Invalid string"))  # not reached: _expect fails at the end


def root_scalar(text: str, range_message: bool = False) -> tuple[Problem | None, str, str | None]:
    """`JsonValueUtils#toJavaString(JsonMixed.of(text))` (dhis-api 2.42.5/2.43.1 :55-64): the
    root's kind by its first character (`JsonTree#autoDetect`) and, without a problem, the
    Java string: a string root decoded (`#parseString`, then `#checkNoTrailingTrash`), a NULL
    root None, a number or boolean root its declaration, which for the root is the whole text
    (`LazyJsonNode#getDeclaration`: unchecked, white space and what follows included); an
    object or array root the kind "OBJECT"/"ARRAY" and the whole text, which the caller refuses."""
    s = java_chars(text)
    index = _ws(s, 0)
    try:
        if index >= len(s):
            raise _unexpected(s, index, "a JSON value but found EOI")
        c = s[index]
        if c not in _STARTS:
            raise _unexpected(s, index, f"start of a JSON value but found: `{c}`")
        if c in "{[":
            return None, "OBJECT" if c == "{" else "ARRAY", text
        if c == "n":
            return None, "NULL", None
        if c != '"':
            return None, "BOOLEAN" if c in "tf" else "NUMBER", text
        value, end = _string_value(s, index, range_message)
        after = _ws(s, end)
        if after < len(s):
            raise _Fail(Problem("Unexpected input after end of root value: "
                                f"{from_java_chars(_end_section(s, after))}"))
    except _Fail as fail:
        return fail.problem, "", None
    return None, "STRING", from_java_chars(value)
