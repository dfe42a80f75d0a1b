"""PostgreSQL's `jsonb_set` and `jsonb_extract_path` on a parsed jsonb value, as the datastore's
native updates use them (HibernateDatastoreStore#updateEntry, `core/datastore.py`).

The PostgreSQL DHIS2 runs on at the three tags is 12: the `db` service of `docker-compose.yml`
is `ghcr.io/baosystems/postgis:12-3.3` (2.41.9 :18, 2.42.5 :18, 2.43.1 :25). Its
`src/backend/utils/adt/jsonfuncs.c`:

- `jsonb_set` refuses a root that is a scalar, JSON `null` included, before it reads the path:
  SQLSTATE 22023 "cannot set path in scalar"; then an empty object or array is returned as it
  is when `create_missing` is false, whatever the path;
- `#setPath` walks the path; a member that is missing ends the walk (added when it is the
  last step and `create_missing`), a scalar on the way leaves the value unchanged;
- `#setPathArray` reads the step that meets an array with `strtol` (C locale: leading
  whitespace, an optional sign, ASCII digits, nothing after, within `int`); any other step is
  SQLSTATE 22P02 'path element at position <n> is not an integer: "<step>"' (n counts from 1),
  even when the array is empty; a negative index counts from the end, one before the start
  prepends and one past the end appends (with `create_missing`);
- `jsonb_extract_path` (`#get_jsonb_path_all`) answers SQL NULL for such a step, for a
  missing member and for any step into a scalar.

Both messages checked against PostgreSQL 15; the same refusals and format strings are in the
12-era `#setPathArray` (`strtol`, then `ereport(ERROR, …)`). PgJDBC's `ServerErrorMessage
#toString` renders them "ERROR: <message>" (no detail, hint or context).
"""

from __future__ import annotations

import copy
import re
from typing import Any

MISSING = object()  # what `jsonb_extract_path` answers SQL NULL for

_STRTOL = re.compile(r"[ \t\n\v\f\r]*[+-]?[0-9]+", re.ASCII)
_INT_MIN, _INT_MAX = -(2 ** 31), 2 ** 31 - 1


class PathError(Exception):
    """A refusal of `jsonb_set`; `message` is PgJDBC's rendering of it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _step_index(step: str) -> int | None:
    """The array index `strtol` reads from the whole step, or None."""
    if not _STRTOL.fullmatch(step):
        return None
    index = int(step.strip(" \t\n\v\f\r"))
    return index if _INT_MIN <= index <= _INT_MAX else None


def extract(doc: Any, steps: list[str]) -> Any:
    """`jsonb_extract_path(doc, VARIADIC steps)`: the member at the path, or `MISSING`."""
    node = doc
    for step in steps:
        if isinstance(node, dict) and step in node:
            node = node[step]
            continue
        if isinstance(node, list) and (index := _step_index(step)) is not None:
            index += len(node) if index < 0 else 0
            if 0 <= index < len(node):
                node = node[index]
                continue
        return MISSING
    return node


def set_path(doc: Any, steps: list[str], new: Any, create_missing: bool) -> Any:
    """`jsonb_set(doc, steps, new, create_missing)`: a copy of `doc` with `new` at the path;
    raises `PathError` where PostgreSQL refuses."""
    if not isinstance(doc, (dict, list)):
        raise PathError("ERROR: cannot set path in scalar")
    if not doc and not create_missing:
        return doc
    doc = copy.deepcopy(doc)
    node = doc
    for level, step in enumerate(steps):
        last = level == len(steps) - 1
        if isinstance(node, dict):
            if last:
                if step in node or create_missing:
                    node[step] = new
                return doc
            if step not in node:
                return doc
            node = node[step]
        elif isinstance(node, list):
            index = _step_index(step)
            if index is None:
                raise PathError(
                    f'ERROR: path element at position {level + 1} is not an integer: "{step}"')
            index += len(node) if index < 0 else 0
            if 0 <= index < len(node):
                if last:
                    node[index] = new
                    return doc
                node = node[index]
            else:
                if last and create_missing:
                    node.insert(0 if index < 0 else len(node), new)
                return doc
        else:
            return doc  # a scalar on the way: unchanged
    return doc
