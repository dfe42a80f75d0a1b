"""What Jackson (2.21 at 2.41.9/2.42.5, 2.22 at 2.43.1) says about a body it cannot read.

The first syntax error of the one root value `UTF8StreamJsonParser` reads, in its words; what
follows the root value is never looked at (`DeserializationFeature.FAIL_ON_TRAILING_TOKENS` is
off in `JacksonObjectMapperConfig`). Locations are written the way `JsonLocation` writes them
with `StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` left disabled: a `JsonMappingException` at
the start of the current token; a `JsonParseException` where jackson-core 2.21.2 puts it, each
message and location checked by running it (2.22.3 the same): an unexpected character at itself
(`ParserMinimalBase#_reportUnexpectedChar` → `#_currentLocationMinusOne`, 2.17+), an
unrecognized token at its start, an end of input, a non-standard token and a control character
between tokens after them. A string's escapes (`#escape`), an unquoted control character at
itself, the end of input " in VALUE_STRING" / " in field name"; the other closing character
(`#_closeScope`), a closing character or comma where a value is due (`#_handleUnexpectedValue`),
the end of input after a comma (`#_skipWS2`, a JsonParseException). Not modelled: a body that is
no UTF-8 ("Invalid UTF-8 start byte …"). `Problem.frames` says where an error sits for a reader
that wraps it as a deserializer would (`aggregate/body.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

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
    # where a syntax error sits, for a reader that knows which deserializer reads it there: per
    # open container from the root, ("{", the member whose value is being read, None between
    # members) or ("[", the elements already read); `lazy` when it is in a string value's
    # characters, which Jackson reads only when a deserializer asks for the text (or skips it)
    frames: tuple[tuple[str, str | int | None], ...] = ()
    lazy: bool = False

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
        self.frames: list[list[str | int | None]] = []
        self.lazy = False
        # the parser's current token, which an end of input inside a number names
        self.current: str | None = None

    def _column(self, pos: int) -> int:
        return pos - self.row_start + 1

    def fail(self, original: str, *, at: int | None = None, eof: bool = False) -> _Stop:
        column = self._column(self.pos if at is None else at)
        return _Stop(Problem(original, self.line, column, "eof" if eof else "parse"))

    def eof(self, detail: str) -> _Stop:
        return self.fail(f"Unexpected end-of-input{detail}", eof=True)

    def unexpected(self, detail: str) -> _Stop:
        # ParserMinimalBase#_reportUnexpectedChar: at the character (#_currentLocationMinusOne,
        # jackson-core 2.17+)
        c = self.raw[self.pos - 1]
        return self.fail(f"Unexpected character ({_char(c)}): {detail}", at=self.pos - 1)

    def unexpected_in_number(self, detail: str) -> _Stop:
        c = self.raw[self.pos - 1]
        return self.fail(f"Unexpected character ({_char(c)}) in numeric value: {detail}",
                         at=self.pos - 1)

    def skip_ws(self) -> int | None:
        while self.pos < len(self.raw):
            c = self.raw[self.pos]
            self.pos += 1
            if c == 0x0A:
                self.line += 1
                self.row_start = self.pos
            elif c < 0x20 and c not in _WS:
                # #_skipWS → #_throwInvalidSpace, located after the character
                raise self.fail(f"Illegal character ({_ctrl(c)}): only regular white space "
                                "(\\r, \\n, \\t) is allowed between tokens")
            elif c not in _WS:
                return c
        return None

    def value(self, c: int, starts: list[tuple[str, int, int]]) -> None:
        if c == ord("{"):
            self.container("Object", starts)
        elif c == ord("["):
            self.container("Array", starts)
        elif c == ord('"'):
            self.lazy = True
            self.string("string value")
            self.lazy = False
            self.current = "VALUE_STRING"
        elif c == ord("-") and self.raw[self.pos:self.pos + 8] == b"Infinity":
            self.non_standard(b"-Infinity")
        elif c == ord("-") or ord("0") <= c <= ord("9"):
            start = self.pos - 1
            self.number(c)
            written = self.raw[start:self.pos]
            self.current = ("VALUE_NUMBER_FLOAT" if any(d in written for d in b".eE")
                            else "VALUE_NUMBER_INT")
        elif c in b"}," or (c == ord("]") and self.frames and self.frames[-1][0] == "["):
            # #_handleUnexpectedValue: a closing character where a value is due
            raise self.unexpected("expected a value")
        elif c == ord("+"):
            if self.pos < len(self.raw):
                self.pos += 1
            raise self.fail("Unexpected character ('+' (code 43)) in numeric value: JSON spec "
                            "does not allow numbers to have plus signs: enable "
                            "`JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS` to allow",
                            at=self.pos - 1)
        elif c == ord("N") and self.raw[self.pos - 1:self.pos + 2] == b"NaN":
            self.non_standard(b"NaN")
        elif c == ord("I") and self.raw[self.pos - 1:self.pos + 7] == b"Infinity":
            self.non_standard(b"Infinity")
        elif chr(c).isalpha() or c == ord("_") or c == ord("$"):
            word = self.literal()
            self.current = f"VALUE_{word.upper()}"
        else:
            raise self.unexpected(f"expected a valid value {_VALUES}")

    def non_standard(self, word: bytes) -> None:
        """`#_matchToken` of NaN / Infinity / -Infinity, then `ALLOW_NON_NUMERIC_NUMBERS` off:
        an error after the word; a word that goes on is an unrecognized token."""
        start = self.pos - 1
        end = start + len(word)
        if end < len(self.raw) and (chr(self.raw[end]).isalnum() or self.raw[end] in b"_$"):
            self.pos = start + 1
            if word.startswith(b"-"):
                self.pos += 1
                raise self.unexpected_in_number("expected digit (0-9) to follow minus sign, "
                                                "for valid numeric value")
            self.literal()
        self.pos = end
        raise self.fail(f"Non-standard token '{word.decode()}': enable "
                        "`JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow")

    def literal(self) -> str:
        start = self.pos - 1
        end = start
        while end < len(self.raw) and (chr(self.raw[end]).isalnum() or self.raw[end] in b"_$"):
            end += 1
        word = self.raw[start:end].decode("latin-1")
        if word in ("true", "false", "null"):
            self.pos = end
            return word
        # #_reportInvalidToken reads on to the first character that is no identifier part; the
        # location is the token's start (jackson-core 2.21.2, run)
        self.pos = end
        raise self.fail(f"Unrecognized token '{word}': was expecting {_VALUES}", at=start)

    def number(self, first: int) -> None:
        digits = b"0123456789"
        if first == ord("-"):
            if self.pos >= len(self.raw):
                # #_reportInvalidEOF names the current token
                raise self.eof(f" in {self.current or 'null'}")
            if self.raw[self.pos] not in digits:
                self.pos += 1
                if self.raw[self.pos - 1] == ord("."):  # ALLOW_LEADING_DECIMAL_POINT off
                    raise self.unexpected(f"expected a valid value {_VALUES}")
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
            if self.pos >= len(self.raw):  # the point itself is named at the end of input
                raise self.unexpected_in_number("Decimal point not followed by a digit")
            self.digits_after("Decimal point not followed by a digit")
        if self.pos < len(self.raw) and self.raw[self.pos] in b"eE":
            self.pos += 1
            if self.pos < len(self.raw) and self.raw[self.pos] in b"+-":
                self.pos += 1
            self.digits_after("Exponent indicator not followed by a digit")

    def digits_after(self, what: str) -> None:
        if self.pos >= len(self.raw):
            raise self.eof(f" in {self.current or 'null'}")
        if self.raw[self.pos] not in b"0123456789":
            self.pos += 1
            raise self.unexpected_in_number(what)
        while self.pos < len(self.raw) and self.raw[self.pos] in b"0123456789":
            self.pos += 1

    def string(self, what: str) -> None:
        """A string's characters after its opening quote (`#_skipString` / `#_finishString`,
        `#parseEscapedName`), `what` "string value" or "name"."""
        while self.pos < len(self.raw):
            c = self.raw[self.pos]
            self.pos += 1
            if c == ord('"'):
                return
            if c == ord("\\"):
                self.escape()
            elif c < 0x20:
                raise self.fail(f"Illegal unquoted character ({_ctrl(c)}): has to be escaped "
                                f"using backslash to be included in {what}", at=self.pos - 1)
        raise self.eof(" in VALUE_STRING" if what == "string value" else " in field name")

    def escape(self) -> None:
        """`UTF8StreamJsonParser#_decodeEscaped`: one of `"\\/bfnrt`, or `u` and four hex
        digits; another character is `#_handleUnrecognizedCharacterEscape`'s error (the
        character decoded from its UTF-8 bytes, `#_decodeCharForError`), a non-hex digit
        `#_reportUnexpectedChar` of its first byte; both located at the offending (last) byte
        (`#_currentLocationMinusOne`), the end of input where it runs out."""
        if self.pos >= len(self.raw):
            raise self.eof(" in character escape sequence")
        c = self.raw[self.pos]
        self.pos += 1
        if c in b'"\\/bfnrt':
            return
        if c != ord("u"):
            code = c
            if c >= 0x80:
                width = 2 if c & 0xE0 == 0xC0 else 3 if c & 0xF0 == 0xE0 else 4
                tail = self.raw[self.pos:self.pos + width - 1]
                self.pos += len(tail)
                code = ord((bytes([c]) + tail).decode("utf-8", errors="replace")[0])
            raise self.fail(f"Unrecognized character escape {_char(code)}", at=self.pos - 1)
        for _ in range(4):
            if self.pos >= len(self.raw):
                raise self.eof(" in character escape sequence")
            digit = self.raw[self.pos]
            self.pos += 1
            if digit not in b"0123456789abcdefABCDEF":
                raise self.fail(f"Unexpected character ({_char(digit)}): expected a hex-digit "
                                "for character escape sequence", at=self.pos - 1)

    def container(self, kind: str, starts: list[tuple[str, int, int]]) -> None:
        starts.append((kind, self.line, self._column(self.pos - 1)))
        frame: list[str | int | None] = ["{", None] if kind == "Object" else ["[", 0]
        self.frames.append(frame)
        close = ord("}") if kind == "Object" else ord("]")
        self.current = "START_OBJECT" if kind == "Object" else "START_ARRAY"
        first = True
        while True:
            c = self.skip_ws()
            if c is None:
                raise self.close_marker(starts)
            if c == close:
                break
            if c in b"}]":
                # #_closeScope before anything else: the other closing character
                _, line, column = starts[-1]
                raise self.fail(f"Unexpected close marker '{chr(c)}': expected "
                                f"'{chr(close)}' (for {kind} starting at {location(line, column)})",
                                at=self.pos - 1)
            if not first:
                if c != ord(","):
                    raise self.unexpected(f"was expecting comma to separate {kind} entries")
                c = self.skip_ws()
                if c is None:
                    # #_skipWS2 after a comma: a JsonParseException, not a JsonEOFException
                    raise self.fail(f"Unexpected end-of-input within/between {kind} entries")
            first = False
            if kind == "Object":
                if c != ord('"'):
                    raise self.unexpected("was expecting double-quote to start field name")
                name_start = self.pos - 1
                self.string("name")
                c = self.skip_ws()
                if c is None:
                    raise self.eof(" within/between Object entries")
                if c != ord(":"):
                    raise self.unexpected("was expecting a colon to separate field name and value")
                c = self.skip_ws()
                if c is None:
                    raise self.eof(" within/between Object entries")
                frame[1] = self._name(name_start)
                self.current = "FIELD_NAME"
            self.value(c, starts)
            if kind == "Object":
                frame[1] = None
            else:
                frame[1] = int(frame[1] or 0) + 1
        starts.pop()
        self.frames.pop()
        self.current = "END_OBJECT" if kind == "Object" else "END_ARRAY"

    def _name(self, start: int) -> str:
        """The member's name as Jackson decodes it (the scanner has checked its escapes)."""
        written = self.raw[start:self.pos].decode("utf-8", errors="replace")
        end = written.rindex(":")
        try:
            return str(json.loads(written[:end].rstrip(" \t\r\n")))
        except ValueError:
            return written[1:end].rstrip(' \t\r\n"')

    def close_marker(self, starts: list[tuple[str, int, int]]) -> _Stop:
        kind, line, column = starts[-1]
        return self.eof(f": expected close marker for {kind} (start marker at "
                        f"{location(line, column)})")


def _char(c: int) -> str:
    """`ParserMinimalBase#_getCharDesc` of a code unit."""
    if c < 0x20 or 0x7F <= c <= 0x9F:  # Character#isISOControl
        return _ctrl(c)
    if c > 0xFFFF:  # the (char) cast keeps the low unit, a lone surrogate written as `?`
        c &= 0xFFFF
    shown = "?" if 0xD800 <= c <= 0xDFFF else chr(c)
    if c > 255:
        return f"'{shown}' (code {c} / 0x{c:x})"
    return f"'{shown}' (code {c})"


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
        if c in b"}]":  # #_closeScope at the root
            kind = "Object" if c == ord("}") else "Array"
            raise scanner.fail(f"Unexpected close marker '{chr(c)}': no open {kind} to close",
                               at=scanner.pos - 1)
        scanner.value(c, [])
        if chr(c) in "-0123456789" and scanner.pos < len(raw) and raw[scanner.pos] not in _WS:
            # UTF8StreamJsonParser#_verifyRootSpace: a root-level number ends at white space
            scanner.pos += 1
            raise scanner.unexpected("Expected space separating root-level values")
    except _Stop as stop:
        frames = tuple((str(f[0]), f[1]) for f in scanner.frames)
        return replace(stop.problem, frames=frames, lazy=scanner.lazy)
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


def value_shape(value: object) -> tuple[str, str]:
    """A parsed root value's shape and token as Jackson names them in a refusal
    (`JsonToken#valueDescFor`): "Array value" / `START_ARRAY`, …, a string's `VALUE_STRING`."""
    if isinstance(value, dict):
        return "Object value", "START_OBJECT"
    if isinstance(value, list):
        return "Array value", "START_ARRAY"
    if isinstance(value, bool):
        return "Boolean value", "VALUE_TRUE" if value else "VALUE_FALSE"
    if isinstance(value, int):
        return "Integer value", "VALUE_NUMBER_INT"
    if isinstance(value, float):
        return "Floating-point value", "VALUE_NUMBER_FLOAT"
    return "String value", "VALUE_STRING"


def not_a_list(collection: str, value: object, line: int, column: int) -> Problem:
    """A collection-delegating creator (JsonPatch's `@JsonCreator JsonPatch(List<…>)`) handed a
    root value that is no JSON array: `CollectionDeserializer#handleNonArray` →
    `DeserializationContext#handleUnexpectedToken` (ACCEPT_SINGLE_VALUE_AS_ARRAY off), naming
    the concrete collection type and the token's shape (`JsonToken#valueDescFor`)."""
    shape, token = value_shape(value)
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
