"""Where each member and element of a JSON text sits, for readers whose answers quote or point
at the text as written: json-tree's `JsonNode#getDeclaration` (the node's own characters) and
Jackson's token locations. The text is one a scanner has already accepted (`jackson_text`,
`json_tree_text`); an object cut off after a comma ends where the text ends."""

from __future__ import annotations

import json

_DECODER = json.JSONDecoder()
_WS = " \t\r\n"

OBJECT, ARRAY, STRING, NUMBER, BOOLEAN, NULL = "OBJECT", "ARRAY", "STRING", "NUMBER", "BOOLEAN", "NULL"


def skip_ws(s: str, index: int) -> int:
    while index < len(s) and s[index] in _WS:
        index += 1
    return index


def end_of(s: str, index: int) -> int:
    """The index just after the value starting at `index`."""
    return int(_DECODER.raw_decode(s, index)[1])


def kind(s: str, index: int) -> str:
    """`JsonNodeType` of the value starting at `index`, by its first character."""
    first = s[index]
    if first == "{":
        return OBJECT
    if first == "[":
        return ARRAY
    if first == '"':
        return STRING
    if first in "tf":
        return BOOLEAN
    if first == "n":
        return NULL
    return NUMBER


def members(s: str, index: int) -> list[tuple[str, int, int]]:
    """The members of the object whose `{` is at `index`, in the order written: name, start
    and end of the value."""
    found: list[tuple[str, int, int]] = []
    index = skip_ws(s, index + 1)
    while index < len(s) and s[index] != "}":
        name, index = _DECODER.raw_decode(s, index)
        start = skip_ws(s, skip_ws(s, index) + 1)  # past the colon
        end = end_of(s, start)
        found.append((str(name), start, end))
        index = skip_ws(s, end)
        if index < len(s) and s[index] == ",":
            index = skip_ws(s, index + 1)
    return found


def elements(s: str, index: int) -> list[tuple[int, int]]:
    """The elements of the array whose `[` is at `index`: start and end of each."""
    found: list[tuple[int, int]] = []
    index = skip_ws(s, index + 1)
    while index < len(s) and s[index] != "]":
        end = end_of(s, index)
        found.append((index, end))
        index = skip_ws(s, end)
        if index < len(s) and s[index] == ",":
            index = skip_ws(s, index + 1)
    return found
