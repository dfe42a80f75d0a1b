"""The `fields` of `GET /api/dataStore/{ns}?fields=…`, read as dhis2-core's
`dhis-api/.../datastore/DatastoreQuery.java` reads them (the same code at 2.41.9, 2.42.5 and
2.43.1; lines given as 2.41.9 / 2.42.5 = 2.43.1):

- `#parseFields` (:342-369 / :344-371) walks names; after each the next char decides: `,` ends
  a leaf, `[` or `(` opens a level (so `y(z)` is the path `y.z`), `]` or `)` ends a leaf and
  closes a level (at the top level nothing: `x)` is `x`), the end of the text ends a leaf;
  anything else is IllegalQueryException E7651 (409) naming that char and its position.
- `#findNameEnd` / `#isNameCharacter` (:411-417, :432-434 / :413-419, :434-436): a name is
  `Character#isLetterOrDigit` chars and `.` (so `_`, `-` and white space end it);
  `#findAliasEnd` (:425-430 / :427-432): a `~` after the name runs to the first `)` after it.
  Without one `String#indexOf`'s -1 + 1 is 0: at the start of the text an empty name whose next
  char is the first one (E7651 at position 0), further on `substring(start, 0)`'s
  StringIndexOutOfBoundsException, CrudControllerAdvice#defaultExceptionHandler's 500 worded by
  the release's JDK (`Release.jdk_range_bounds_message`).
- `#addNonEmptyTo` (:396-403 / :398-405): `name~hoist(alias)` names the member `alias`; a leaf
  without one is named by its path (`.` by `value`: `Field(path, alias)` :166-169 / :168-171).
- `#normalisePath` (:446-455 / :448-457): the path must match `PATH_PATTERN` (:444 / :446): one
  to six `.`-separated labels of 1 to 32 of `[-_a-zA-Z0-9]`, or be `.`; else E7650 (409) "Not a
  valid path" with the path as written. The first refusal in the text is the one answered.

Positions count UTF-16 units as Java's `String#charAt` does; the E7651 position is a
MessageFormat number (`1,000`). A char beyond the BMP is two units, the first of which ends the
name: Jackson writes that lone surrogate as a `\\uXXXX` escape, here it is named `?`.
"""

from __future__ import annotations

import re

from scdi.sandbox.core import webmessage
from scdi.sandbox.core.java_double import message_format
from scdi.sandbox.core.java_string import substring_bounds_message
from scdi.sandbox.core.json_tree_text import from_java_chars, java_chars

# ErrorCode.java (the same text at 2.41.9 :584-585, 2.42.5 :625-626, 2.43.1 :645-646)
_E7650 = "Not a valid path: `{0}`"
_E7651 = "Illegal fields expression, expected `,`, `[` or `]` at position {0} but found `{1}`"
# ASCII only: Java's `[a-zA-Z0-9]` and `\d` without UNICODE_CHARACTER_CLASS
_PATH = re.compile(r"[-_a-zA-Z0-9]{1,32}(?:\.[-_a-zA-Z0-9]{1,32}){0,5}")
_INDEXED = re.compile(r"\[([0-9]+)]")
_HOIST = "~hoist("


def parse(fields: str, range_bounds_message: bool) -> list[tuple[str, str]]:
    """The (path, member name) leaves of a `fields` text, in its order."""
    text = java_chars(fields)
    flat: list[tuple[str, str]] = []
    parent = ""
    start = 0
    while start < len(text):
        end = _name_end(text, start)
        if end < start:
            raise _out_of_bounds(start, end, len(text), range_bounds_message)
        field = text[start:end]
        start = end + 1
        if end >= len(text):
            _add(flat, parent, field)
            return flat
        after = text[end]
        if after == ",":
            _add(flat, parent, field)
        elif after in "[(":
            parent += field + "."
        elif after in "])":
            _add(flat, parent, field)
            # back to the parent's parent: up to the last `.` before the trailing one
            parent = parent[:parent.rfind(".", 0, max(len(parent) - 1, 0)) + 1]
        else:
            raise webmessage.fail(webmessage.conflict(
                _E7651.format(message_format(end), from_java_chars(after)), "E7651"))
    return flat


def _is_name_char(char: str) -> bool:
    """`Character#isLetterOrDigit(char)` (the letter categories and Nd, one UTF-16 unit) or `.`."""
    return char == "." or char.isalpha() or char.isdecimal()


def _name_end(text: str, start: int) -> int:
    pos = start
    while pos < len(text) and _is_name_char(text[pos]):
        pos += 1
    if pos >= len(text) or text[pos] != "~":
        return pos
    return text.find(")", pos) + 1  # 0 when there is none


def _add(flat: list[tuple[str, str]], parent: str, field: str) -> None:
    if not field:
        return
    hoist = field.find(_HOIST)
    name = field[:hoist] if hoist > 0 else field
    alias = field[hoist + len(_HOIST):len(field) - 1] if hoist > 0 else None
    path = parent + name
    if path != "." and not _PATH.fullmatch(_INDEXED.sub(r".\1", path)):
        raise webmessage.fail(webmessage.conflict(
            _E7650.format(from_java_chars(path)), "E7650"))
    member = alias if alias is not None else "value" if path == "." else path
    flat.append((from_java_chars(path), from_java_chars(member)))


def _out_of_bounds(begin: int, end: int, length: int, range_message: bool
                   ) -> webmessage.HttpError:
    return webmessage.fail(webmessage.error(
        500, substring_bounds_message(begin, end, length, range_message)))
