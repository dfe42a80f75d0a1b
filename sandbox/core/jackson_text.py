"""What Jackson (2.21 at 2.41.9/2.42.5, 2.22 at 2.43.1) says about a body it cannot read.

The first syntax error of the one root value `UTF8StreamJsonParser` reads, in its words; what
follows the root value is never looked at (`DeserializationFeature.FAIL_ON_TRAILING_TOKENS` is
off in `JacksonObjectMapperConfig`). Locations are written the way `JsonLocation` writes them
with `StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` left disabled: a `JsonParseException` about
a character at that character (`ParserMinimalBase#_currentLocationMinusOne`, since jackson-core
2.17: `#_reportUnexpectedChar`, `#_reportUnexpectedNumberChar`, `ParserBase#_throwUnquotedSpace`,
`#_reportMismatchedEndMarker`, `#_handleUnrecognizedCharacterEscape`), any other at the parser's
current position (an unrecognized token past the character that ends it, leading zeroes at the
second digit), a `JsonMappingException` at the start of the current token.
"""

from __future__ import annotations

from dataclasses import dataclass

from scdi.sandbox.core import java_double

SOURCE = "REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)"
_VALUES = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
_WS = b" \t\r\n"


def location(line: int, column: int | None) -> str:
    where = f"line: {line}" if column is None else f"line: {line}, column: {column}"
    return f"[Source: {SOURCE}; {where}]"


@dataclass(frozen=True)
class Problem:
    """A Jackson exception: `original` is `getOriginalMessage()`, `message` adds the location."""

    original: str
    line: int
    column: int  # 0: none written (no token read yet)
    # "eof" for a JsonEOFException, "mapping" for a MismatchedInputException, "format" for
    # an InvalidFormatException, "instantiation" for a ValueInstantiationException, "wrapped"
    # for the plain JsonMappingException `JsonMappingException#wrapWithPath` makes of another
    # exception a deserializer threw (Spring 5 names the class in its message)
    kind: str = "parse"
    # JsonMappingException's reference chain, outermost first (`Reference#getDescription`:
    # `Class#getName` and `["member"]` or `[index]`), written after the location
    path: tuple[str, ...] = ()
    # False for an exception with no location at all (a wrapped exception that was no
    # Jackson one, such as a NumberFormatException: `JsonMappingException(null, msg, src)`)
    located: bool = True

    @property
    def message(self) -> str:
        chain = f" (through reference chain: {'->'.join(self.path)})" if self.path else ""
        where = f"\n at {location(self.line, self.column or None)}" if self.located else ""
        return f"{self.original}{where}{chain}"

    @property
    def java_class(self) -> str:
        return {"eof": "com.fasterxml.jackson.core.io.JsonEOFException",
                "mapping": "com.fasterxml.jackson.databind.exc.MismatchedInputException",
                "format": "com.fasterxml.jackson.databind.exc.InvalidFormatException",
                "instantiation": "com.fasterxml.jackson.databind.exc.ValueInstantiationException",
                "wrapped": "com.fasterxml.jackson.databind.JsonMappingException",
                }.get(self.kind, "com.fasterxml.jackson.core.JsonParseException")


class _Stop(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _Scanner:
    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.pos = 0
        self.line = 1
        self.row_start = 0
        # the parser's current token (`JsonToken#name`, Java's "null" before the first): what
        # `ParserMinimalBase#_reportInvalidEOF()` names when a number ends too early
        self.current = "null"

    def _column(self, pos: int) -> int:
        return pos - self.row_start + 1

    def fail(self, original: str, *, at: int | None = None, eof: bool = False) -> _Stop:
        column = self._column(self.pos if at is None else at)
        return _Stop(Problem(original, self.line, column, "eof" if eof else "parse"))

    def eof(self, detail: str) -> _Stop:
        return self.fail(f"Unexpected end-of-input{detail}", eof=True)

    def unexpected(self, detail: str) -> _Stop:
        # #_reportUnexpectedChar: at the character just read (#_currentLocationMinusOne)
        c = self.raw[self.pos - 1]
        return self.fail(f"Unexpected character ({_char(c)}): {detail}", at=self.pos - 1)

    def unexpected_in_number(self, detail: str) -> _Stop:
        c = self.raw[self.pos - 1]
        return self.fail(f"Unexpected character ({_char(c)}) in numeric value: {detail}",
                         at=self.pos - 1)

    def close_outside(self, c: int, starts: list[tuple[str, int, int]]) -> _Stop:
        """`UTF8StreamJsonParser#_closeArrayScope`/`#_closeObjectScope` meeting a close marker
        its scope does not end: `ParserBase#_reportMismatchedEndMarker` (2.19+: at the root
        `#_reportExtraEndMarker`), at the marker."""
        if not starts:
            scope = "Object" if c == ord("}") else "Array"
            return self.fail(f"Unexpected close marker '{chr(c)}': no open {scope} to close",
                             at=self.pos - 1)
        kind, line, column = starts[-1]
        expected = "}" if kind == "Object" else "]"
        return self.fail(f"Unexpected close marker '{chr(c)}': expected '{expected}' (for {kind} "
                         f"starting at {location(line, column)})", at=self.pos - 1)

    def skip_ws(self) -> int | None:
        while self.pos < len(self.raw):
            c = self.raw[self.pos]
            self.pos += 1
            if c == 0x0A:
                self.line += 1
                self.row_start = self.pos
            elif c not in _WS:
                return c
        return None

    def value(self, c: int, starts: list[tuple[str, int, int]]) -> None:
        if c in b"]}" and not starts:
            # #nextToken closes a scope at the root too: #_reportExtraEndMarker
            raise self.close_outside(c, starts)
        if c in b"}," or (c == ord("]") and starts[-1][0] == "Array"):
            # #_handleUnexpectedValue: no value ("]" only inside an array, else "a valid value")
            raise self.unexpected("expected a value")
        if c == ord("{"):
            self.container("Object", starts)
        elif c == ord("["):
            self.container("Array", starts)
        elif c == ord('"'):
            self.string(": was expecting closing quote for a string value")
            self.current = "VALUE_STRING"
        elif c == ord("-") or ord("0") <= c <= ord("9"):
            self.number(c)
        elif chr(c).isalpha() or c == ord("_") or c == ord("$"):
            self.literal()
        else:
            raise self.unexpected(f"expected a valid value {_VALUES}")

    def literal(self) -> None:
        start = self.pos - 1
        end = start
        while end < len(self.raw) and (chr(self.raw[end]).isalnum() or self.raw[end] in b"_$"):
            end += 1
        word = self.raw[start:end].decode("latin-1")
        if word in ("true", "false", "null"):
            self.pos = end
            self.current = f"VALUE_{word.upper()}"
            return
        # #_reportInvalidToken reads on to the first character that is no identifier part and
        # consumes that one too, so the location is past it
        self.pos = min(end + 1, len(self.raw))
        raise self.fail(f"Unrecognized token '{word}': was expecting {_VALUES}")

    def number(self, first: int) -> None:
        digits = b"0123456789"
        start = self.pos - 1
        if first == ord("-"):
            if self.pos >= len(self.raw):  # #_parseSignedNumber → #_loadMoreGuaranteed
                raise self.eof(f" in {self.current}")
            if self.raw[self.pos] not in digits:
                self.pos += 1
                raise self.unexpected_in_number("expected digit (0-9) to follow minus sign, "
                                                "for valid numeric value")
            first = self.raw[self.pos]
            self.pos += 1
        if first == ord("0") and self.pos < len(self.raw) and self.raw[self.pos] in digits:
            raise self.fail("Invalid numeric value: Leading zeroes not allowed")
        while self.pos < len(self.raw) and self.raw[self.pos] in digits:
            self.pos += 1
        if self.pos < len(self.raw) and self.raw[self.pos] == ord("."):
            self.pos += 1
            if self.pos >= len(self.raw):
                # #_parseFloat: the end of input leaves the '.' as the character in question
                raise self.unexpected_in_number("Decimal point not followed by a digit")
            self.digits_after("Decimal point not followed by a digit")
        if self.pos < len(self.raw) and self.raw[self.pos] in b"eE":
            self.pos += 1
            if self.pos < len(self.raw) and self.raw[self.pos] in b"+-":
                self.pos += 1
            self.digits_after("Exponent indicator not followed by a digit")
        written = self.raw[start:self.pos]
        self.current = "VALUE_NUMBER_FLOAT" if any(c in written for c in b".eE") else "VALUE_NUMBER_INT"

    def digits_after(self, what: str) -> None:
        if self.pos >= len(self.raw):
            # after 'e' or its sign #_parseFloat asks #_loadMoreGuaranteed
            raise self.eof(f" in {self.current}")
        if self.raw[self.pos] not in b"0123456789":
            self.pos += 1
            raise self.unexpected_in_number(what)
        while self.pos < len(self.raw) and self.raw[self.pos] in b"0123456789":
            self.pos += 1

    def string(self, eof_detail: str) -> None:
        while self.pos < len(self.raw):
            c = self.raw[self.pos]
            self.pos += 1
            if c == ord('"'):
                return
            if c == ord("\\"):
                self.escape()
            elif c < 0x20:
                # ParserBase#_throwUnquotedSpace: at the character
                raise self.fail(f"Illegal unquoted character ({_ctrl(c)}): has to be escaped "
                                "using backslash to be included in string value", at=self.pos - 1)
        raise self.eof(eof_detail)

    def escape(self) -> None:
        """`UTF8StreamJsonParser#_decodeEscaped`, in names and values alike (`#_skipString`
        decodes the escapes of a value nobody reads too)."""
        if self.pos >= len(self.raw):
            raise self.eof(" in character escape sequence")
        c = self.raw[self.pos]
        self.pos += 1
        if c in b'btnfr"/\\':
            return
        if c != ord("u"):
            # ParserBase#_handleUnrecognizedCharacterEscape: the character `_decodeCharForError`
            # decodes (reading the rest of a UTF-8 sequence), at its last byte
            char = _decoded_char(self.raw, self.pos - 1)
            self.pos += len(char.encode("utf-8")) - 1
            raise self.fail(f"Unrecognized character escape {_char(ord(char))}", at=self.pos - 1)
        for _ in range(4):
            if self.pos >= len(self.raw):
                raise self.eof(" in character escape sequence")
            h = self.raw[self.pos]
            self.pos += 1
            if h not in b"0123456789abcdefABCDEF":
                raise self.unexpected("expected a hex-digit for character escape sequence")

    def container(self, kind: str, starts: list[tuple[str, int, int]]) -> None:
        starts.append((kind, self.line, self._column(self.pos - 1)))
        self.current = f"START_{kind.upper()}"
        first = True
        while True:
            c = self.skip_ws()
            if c is None:  # #_skipWSOrEnd → ParserBase#_handleEOF
                raise self.close_marker(starts)
            if c in b"]}":
                # #nextToken / #nextFieldName close a scope before they look for a comma
                if c != (ord("}") if kind == "Object" else ord("]")):
                    raise self.close_outside(c, starts)
                break
            if not first:
                if c != ord(","):
                    raise self.unexpected(f"was expecting comma to separate {kind} entries")
                c = self.skip_ws()
                if c is None:
                    # #_skipWS2 after the comma: `_constructError`, no JsonEOFException
                    raise self.fail(f"Unexpected end-of-input within/between {kind} entries")
            first = False
            if kind == "Object":
                if c != ord('"'):
                    raise self.unexpected("was expecting double-quote to start field name")
                self.string(": was expecting closing '\"' for name")
                self.current = "FIELD_NAME"  # the member's value is read with its name
                c = self.skip_ws()
                if c is None:
                    raise self.eof(" within/between Object entries")
                if c != ord(":"):
                    raise self.unexpected("was expecting a colon to separate field name and value")
                c = self.skip_ws()
                if c is None:
                    raise self.eof(" within/between Object entries")
            self.value(c, starts)
        starts.pop()
        self.current = f"END_{kind.upper()}"

    def close_marker(self, starts: list[tuple[str, int, int]]) -> _Stop:
        kind, line, column = starts[-1]
        return self.eof(f": expected close marker for {kind} (start marker at "
                        f"{location(line, column)})")


def _decoded_char(raw: bytes, at: int) -> str:
    """The character whose UTF-8 encoding starts at `at` (the byte itself when it starts none)."""
    for size in (1, 2, 3, 4):
        try:
            return raw[at:at + size].decode("utf-8")
        except UnicodeDecodeError:
            continue
    return chr(raw[at])


def _char(c: int) -> str:
    # ParserMinimalBase#_getCharDesc
    if c < 0x20:
        return _ctrl(c)
    if c > 255:
        return f"'{chr(c)}' (code {c} / 0x{c:x})"
    return f"'{chr(c)}' (code {c})"


def _ctrl(c: int) -> str:
    return f"(CTRL-CHAR, code {c})"


def is_blank(raw: bytes) -> bool:
    return not raw.strip(_WS)


def syntax_problem(raw: bytes) -> Problem | None:
    """The first syntax error of the root value, None when it reads (or there is none)."""
    scanner = _Scanner(raw)
    c = scanner.skip_ws()
    if c is None:
        return None
    try:
        scanner.value(c, [])
        if chr(c) in "-0123456789" and scanner.pos < len(raw) and raw[scanner.pos] not in _WS:
            # UTF8StreamJsonParser#_verifyRootSpace: a root-level number ends at white space
            scanner.pos += 1
            raise scanner.unexpected("Expected space separating root-level values")
    except _Stop as stop:
        return stop.problem
    return None


def _java_blank(text: str) -> bool:
    """`StdDeserializer#_isBlank`: no character above U+0020 (control characters count)."""
    return all(ord(c) <= 0x20 for c in text)


def _java_trim(text: str) -> str:
    """`String#trim`: drops every character at most U+0020 at either end."""
    start, end = 0, len(text)
    while start < end and ord(text[start]) <= 0x20:
        start += 1
    while end > start and ord(text[end - 1]) <= 0x20:
        end -= 1
    return text[start:end]


def no_content() -> str:
    """`ObjectMapper#_initForReading` on an empty body (MismatchedInputException)."""
    return f"No content to map due to end-of-input\n at {location(1, None)}"


def not_a_bean(klass: str, value: object, line: int, column: int) -> Problem:
    """`BeanDeserializer` handed a root value that is no JSON object (MismatchedInputException /
    `DeserializationContext#handleMissingInstantiator`), at the token's start."""
    if isinstance(value, list):
        return Problem(f"Cannot deserialize value of type `{klass}` from Array value "
                       f"(token `JsonToken.START_ARRAY`)", line, column, "mapping")
    if isinstance(value, str) and _java_blank(value):
        # StdDeserializer#_deserializeFromString: an empty or blank text (every character at
        # most U+0020) goes to #_deserializeFromEmptyString, no coercion configured for a bean
        # (an InvalidFormatException, a MismatchedInputException)
        return Problem(f'Cannot coerce empty String ("") to `{klass}` value (but could if '
                       "coercion was enabled using `CoercionConfig`)", line, column, "format")
    if isinstance(value, bool):
        kind, shown = "boolean/Boolean", f"boolean value ({str(value).lower()})"
    elif isinstance(value, int):
        # BeanDeserializerBase#deserializeFromNumber by `getNumberType()`: INT → createFromInt,
        # LONG → createFromLong, BIG_INTEGER (beyond a long) → createFromBigInteger
        if -2**31 <= value < 2**31:
            kind = "int/Int"
        elif -2**63 <= value < 2**63:
            kind = "long/Long"
        else:
            kind = "BigInteger"
        shown = f"Number value ({value})"
    elif isinstance(value, float):
        # StdValueInstantiator#createFromDouble formats the double with `%s`: Double#toString
        kind, shown = "double/Double", f"Number value ({java_double.to_string(value)})"
    else:
        # the text is trimmed first (`String#trim`: "mostly to avoid problems wrt XML
        # indentation"), so the message quotes it without its outer white space
        kind, shown = "String", f"String value ('{_java_trim(str(value))}')"
    return Problem(f"Cannot construct instance of `{klass}` (although at least one Creator "
                   f"exists): no {kind}-argument constructor/factory method to deserialize from "
                   f"{shown}", line, column, "mapping")


def not_a_list(collection: str, value: object, line: int, column: int) -> Problem:
    """A collection-delegating creator (JsonPatch's `@JsonCreator JsonPatch(List<…>)`) handed a
    root value that is no JSON array: `CollectionDeserializer#handleNonArray` →
    `DeserializationContext#handleUnexpectedToken` (ACCEPT_SINGLE_VALUE_AS_ARRAY off), naming
    the concrete collection type and the token's shape (`JsonToken#valueDescFor`)."""
    if isinstance(value, dict):
        shape, token = "Object value", "START_OBJECT"
    elif isinstance(value, bool):
        shape, token = "Boolean value", "VALUE_TRUE" if value else "VALUE_FALSE"
    elif isinstance(value, int):
        shape, token = "Integer value", "VALUE_NUMBER_INT"
    elif isinstance(value, float):
        shape, token = "Floating-point value", "VALUE_NUMBER_FLOAT"
    else:
        shape, token = "String value", "VALUE_STRING"
    return Problem(f"Cannot deserialize value of type `{collection}` from {shape} "
                   f"(token `JsonToken.{token}`)", line, column, "mapping")


def root_start(raw: bytes) -> tuple[int, int]:
    """Line and column of the root value's first character."""
    scanner = _Scanner(raw)
    scanner.skip_ws()
    return scanner.line, scanner._column(scanner.pos - 1)


def token_location(text: str, index: int) -> tuple[int, int]:
    """Line and column of the token starting at `index` of the decoded body, as
    `UTF8StreamJsonParser` counts them: a line ends at `\\n`, `\\r` or `\\r\\n`, the column
    counts the line's bytes before the token, from 1."""
    before = text[:index].replace("\r\n", "\n").replace("\r", "\n")
    line_start = before.rfind("\n") + 1
    return before.count("\n") + 1, len(before[line_start:].encode("utf-8")) + 1
