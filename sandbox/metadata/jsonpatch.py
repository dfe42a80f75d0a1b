"""RFC 6902 JSON Patch, as DHIS2 applies it to the owner view of an object
(`webapi/controller/AbstractCrudController.java#patchObject`, `jsonpatch/JsonPatchManager.java`;
content type `application/json-patch+json`). `remove` and `replace` follow dhis-support-commons'
`commons/jackson/jsonpatch/operations/RemoveOperation.java` and `ReplaceOperation.java` (2.41.9 =
2.42.5 = 2.43.1): removing an absent path is a no-op, replacing is remove then add. `add` and
`remove-by-id` fail as `AddOperation.java#apply/#getArrayIndex` and `RemoveByIdOperation.java#apply`
word their JsonPatchException, which `CrudControllerAdvice#handleBadRequest` answers 400 with the
message alone. `move`, `copy` and `test` are not DHIS2 operations (`JsonPatchOperation`'s
subtypes are add, remove, remove-by-id and replace); the sandbox still applies them."""

from __future__ import annotations

import copy
import re
from typing import Any

from scdi.sandbox.core import objects

# Integer#parseInt: an optional sign, then decimal digits
_JAVA_INT = re.compile(r"[+-]?\d+")
_MISSING = object()


class PatchError(ValueError):
    pass


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError(f"Invalid JSON pointer `{pointer}`")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _parent(doc: Any, tokens: list[str]) -> tuple[Any, str]:
    target = doc
    for token in tokens[:-1]:
        if isinstance(target, list):
            target = target[int(token)]
        elif isinstance(target, dict) and token in target:
            target = target[token]
        else:
            raise PatchError(f"Path `/{'/'.join(tokens)}` does not exist")
    return target, tokens[-1]


def _get(doc: Any, pointer: str) -> Any:
    target = doc
    for token in _tokens(pointer):
        try:
            target = target[int(token)] if isinstance(target, list) else target[token]
        except (KeyError, IndexError, ValueError, TypeError):
            raise PatchError(f"Path `{pointer}` does not exist") from None
    return target


def _at(doc: Any, tokens: list[str]) -> Any:
    """`JsonNode#at`: the node the tokens lead to, or `_MISSING`."""
    target = doc
    for token in tokens:
        if isinstance(target, list) and token.isdigit() and int(token) < len(target):
            target = target[int(token)]
        elif isinstance(target, dict) and token in target:
            target = target[token]
        else:
            return _MISSING
    return target


def _add(doc: Any, pointer: str, value: Any) -> Any:
    tokens = _tokens(pointer)
    if not tokens:
        return value
    parent, last = _at(doc, tokens[:-1]), tokens[-1]
    if parent is _MISSING:
        raise PatchError(f"Path does not exist: {pointer}")
    if not isinstance(parent, (dict, list)):
        raise PatchError("Parent node is not a container, unable to proceed")
    if isinstance(parent, dict):
        parent[last] = value
    elif last == "-":
        parent.append(value)
    else:
        if not _JAVA_INT.fullmatch(last):
            raise PatchError(f"not an index: {last} (expected: a non-negative integer)")
        index = int(last)
        if index < 0 or index > len(parent):
            raise PatchError(
                f"index out of bounds: {index} (expected: >= 0 && <= {len(parent)})")
        parent.insert(index, value)
    return doc


def _exists(doc: Any, pointer: str) -> bool:
    return _at(doc, _tokens(pointer)) is not _MISSING


def _remove(doc: Any, pointer: str) -> Any:
    # RemoveOperation#apply: a path that `node.at` does not find leaves the node as it is.
    if not _exists(doc, pointer):
        return doc
    parent, last = _parent(doc, _tokens(pointer))
    if isinstance(parent, list):
        del parent[int(last)]
    else:
        del parent[last]
    return doc


def _remove_by_id(doc: Any, pointer: str, uid: Any) -> Any:
    # RemoveByIdOperation#apply: the id is checked before the path; on an object the node is
    # left as it is, on an array the first item whose `id` is the id goes.
    if not objects.is_uid(uid):
        raise PatchError(f"Invalid id {uid}")
    target = _at(doc, _tokens(pointer))
    if target is _MISSING:
        raise PatchError(f"Invalid path {pointer}")
    if isinstance(target, list):
        for i, item in enumerate(target):
            if isinstance(item, dict) and "id" in item and str(item["id"]) == uid:
                del target[i]
                break
    return doc


def apply(doc: dict[str, Any], operations: Any) -> dict[str, Any]:
    if not isinstance(operations, list):
        raise PatchError("A JSON patch is an array of operations")
    result: Any = copy.deepcopy(doc)
    for op in operations:
        if not isinstance(op, dict) or "op" not in op or "path" not in op:
            raise PatchError("Each operation needs `op` and `path`")
        kind, path = op["op"], op["path"]
        if kind == "add":
            result = _add(result, path, copy.deepcopy(op.get("value")))
        elif kind == "remove":
            result = _remove(result, path)
        elif kind == "remove-by-id":
            result = _remove_by_id(result, path, op.get("id"))
        elif kind == "replace":
            # ReplaceOperation#apply is RemoveOperation then AddOperation: an absent member
            # is added, not refused.
            result = _add(_remove(result, path), path, copy.deepcopy(op.get("value")))
        elif kind == "move":
            value = _get(result, op["from"])
            result = _add(_remove(result, op["from"]), path, value)
        elif kind == "copy":
            result = _add(result, path, copy.deepcopy(_get(result, op["from"])))
        elif kind == "test":
            if _get(result, path) != op.get("value"):
                raise PatchError(f"Test failed for `{path}`")
        else:
            raise PatchError(f"Unknown operation `{kind}`")
    if not isinstance(result, dict):
        raise PatchError("A patch must leave an object")
    return result
