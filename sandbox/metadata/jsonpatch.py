"""RFC 6902 JSON Patch, as DHIS2 applies it to the owner view of an object
(`webapi/controller/AbstractCrudController.java#patchObject`, `jsonpatch/JsonPatchManager.java`;
content type `application/json-patch+json`). `remove` and `replace` follow dhis-support-commons'
`commons/jackson/jsonpatch/operations/RemoveOperation.java` and `ReplaceOperation.java` (2.41.9 =
2.42.5 = 2.43.1): removing an absent path is a no-op, replacing is remove then add."""

from __future__ import annotations

import copy
from typing import Any


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


def _add(doc: Any, pointer: str, value: Any) -> Any:
    tokens = _tokens(pointer)
    if not tokens:
        return value
    parent, last = _parent(doc, tokens)
    if isinstance(parent, list):
        if last == "-":
            parent.append(value)
        else:
            parent.insert(int(last), value)
    else:
        parent[last] = value
    return doc


def _exists(doc: Any, pointer: str) -> bool:
    target = doc
    for token in _tokens(pointer):
        if isinstance(target, list) and token.isdigit() and int(token) < len(target):
            target = target[int(token)]
        elif isinstance(target, dict) and token in target:
            target = target[token]
        else:
            return False
    return True


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
