"""Jackson's token stream over an accepted JSON text, one token at a time, for the readers that
bind a body as Jackson's deserializers do (`aggregate/binding.py`, `tracker/imports/binding.py`).

A String field bound through `EmptyStringToNullStdDeserializer` (`core/jackson_strings.py`)
answers null at an object's or an array's first token and skips nothing, so the enclosing
bean's loop goes on from inside that value; only a reader that asks for tokens as Jackson's
does (`BeanDeserializer#vanillaDeserialize`: `nextFieldName()`; `CollectionDeserializer
#_deserializeFromArray`: `nextToken()` until END_ARRAY) can see where it ends up.
"""

from __future__ import annotations

import json
import re
from typing import Any

from scdi.sandbox.core import json_spans
from scdi.sandbox.core.jackson_strings import decode_written

NAME, VALUE = "name", "value"
# The ends of a token in a text already accepted (`jackson_text`): white space, a string, a
# number or a literal
_WS = re.compile(r"[ \t\r\n]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null")


class Tokens:
    """Jackson's token stream over the accepted body (`UTF8StreamJsonParser#nextToken` /
    `#nextFieldName`): `kind` is the current token, `{` `}` `[` `]`, NAME (a member's name,
    `name`) or VALUE (a scalar between `begin` and `end`). The readers below ask for one token
    at a time, as Jackson's deserializers do, so a String field handed an object or an array
    leaves the stream at that first token (`EmptyStringToNullStdDeserializer` reads
    `getValueAsString`, null there, and skips nothing) and the enclosing reader goes on from it."""

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.pos = start
        self.open: list[str] = []
        self.expect_name = False
        self.kind = ""
        self.name = ""
        self.begin = self.end = start

    def next(self) -> str:
        text = self.text
        index = _WS.match(text, self.pos).end()  # type: ignore[union-attr]
        if index < len(text) and text[index] in ",:":
            self.expect_name = text[index] == "," and self.open[-1] == "{"
            index = _WS.match(text, index + 1).end()  # type: ignore[union-attr]
        self.begin = index
        if index >= len(text):
            self.kind = ""
            return self.kind
        char = text[index]
        if char in "{[":
            self.open.append(char)
            self.expect_name = char == "{"
            self.kind, self.end = char, index + 1
        elif char in "}]":
            self.open.pop()
            self.kind, self.end = char, index + 1
        else:
            found = (_STRING if char == '"' else _SCALAR).match(text, index)
            self.end = found.end() if found else json_spans.end_of(text, index)
            self.kind = NAME if self.expect_name else VALUE
            if self.expect_name:
                self.name = self._text()
            self.expect_name = False
        self.pos = self.end
        return self.kind

    def _text(self) -> str:
        """The current string token's text (a slice when it has no escape)."""
        raw = self.text[self.begin + 1:self.end - 1]
        return str(json.loads(self.text[self.begin:self.end])) if "\\" in raw else raw

    def skip_children(self) -> None:
        """`JsonParser#skipChildren` (an unknown member, FAIL_ON_UNKNOWN_PROPERTIES off)."""
        if self.kind in ("{", "["):
            self.pos = self.end = json_spans.end_of(self.text, self.begin)
            self.kind = "}" if self.open.pop() == "{" else "]"

    def value(self) -> Any:
        """The JSON value starting at the current token, numbers as written."""
        if self.kind in (VALUE, NAME):
            return self._text() if self.text[self.begin] == '"' else decode_written(
                self.text[self.begin:self.end])
        return decode_written(self.text[self.begin:json_spans.end_of(self.text, self.begin)])

    def string(self) -> Any:
        """What `EmptyStringToNullStdDeserializer` reads here before `string_field`: the scalar
        (numbers as written), None at an object's or an array's first token, which it leaves
        the parser at."""
        if self.kind in ("{", "["):
            return None
        if self.text[self.begin] == '"':
            return self._text()
        return decode_written(self.text[self.begin:self.end])
