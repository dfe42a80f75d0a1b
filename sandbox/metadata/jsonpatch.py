"""RFC 6902 JSON Patch, as DHIS2 applies it to the owner view of an object
(`webapi/controller/AbstractCrudController.java#patchObject`, `jsonpatch/JsonPatchManager.java`;
content type `application/json-patch+json`). `remove` and `replace` follow dhis-support-commons'
`commons/jackson/jsonpatch/operations/RemoveOperation.java` and `ReplaceOperation.java` (2.41.9 =
2.42.5 = 2.43.1): removing an absent path is a no-op, replacing is remove then add. `add` and
`remove-by-id` fail as `AddOperation.java#apply/#getArrayIndex` and `RemoveByIdOperation.java#apply`
word their JsonPatchException, which `CrudControllerAdvice#handleBadRequest` answers 400 with the
message alone. `move`, `copy`, `test` or any other `op` is no DHIS2 operation
(`JsonPatchOperation`'s `@JsonSubTypes` are add, remove, remove-by-id and replace, 2.41.9
:52-58, 2.42.5 and 2.43.1 :55-61): Jackson refuses the whole patch before anything is applied
(`binding_failure`).

Before any operation runs, `JsonPatchManager#validatePatchPath` (2.41.9 :146-157, 2.42.5
:148-159, 2.43.1 :149-160) asks the schema for the first segment of every operation's path
(Jackson's `JsonPointer#getMatchingProperty`: `/a/b` is `a`, `/-` is `-`, `/0` is `0`, the
whole-document path `""` is `null`) and refuses the patch with a JsonPatchException
"Property <segment> does not exist on Schema" when the schema has no such key."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Collection
from typing import Any

from scdi.sandbox.core import objects

# Integer#parseInt: an optional sign, then decimal digits, within the int range
_JAVA_INT = re.compile(r"[+-]?\d+")
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
# JsonPointer#_parseIndex (Jackson 2.21/2.22): ASCII digits without a leading zero, at most 10
# of them and no more than Integer.MAX_VALUE; any other segment names no array item
_JSON_POINTER_INDEX = re.compile(r"0|[1-9][0-9]{0,9}")
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
            target = target[_pointer_index(token)]
        elif isinstance(target, dict) and token in target:
            target = target[token]
        else:
            raise PatchError(f"Path `/{'/'.join(tokens)}` does not exist")
    return target, tokens[-1]


def _pointer_index(token: str) -> int:
    """`JsonPointer#getMatchingIndex`: the segment as an array index, or -1."""
    if not _JSON_POINTER_INDEX.fullmatch(token) or int(token) > _INT_MAX:
        return -1
    return int(token)


def _at(doc: Any, tokens: list[str]) -> Any:
    """`JsonNode#at`: the node the tokens lead to, or `_MISSING` (on an array a segment is an
    index only as `JsonPointer` reads one: `/a/01` and `/a/+1` name nothing)."""
    target = doc
    for token in tokens:
        if isinstance(target, list) and 0 <= _pointer_index(token) < len(target):
            target = target[_pointer_index(token)]
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
        if not _JAVA_INT.fullmatch(last) or not _INT_MIN <= int(last) <= _INT_MAX:
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
        del parent[_pointer_index(last)]
    else:
        del parent[last]
    return doc


def _remove_by_id(doc: Any, pointer: str, uid: Any) -> Any:
    # RemoveByIdOperation#apply: the id is checked before the path; on an object the node is
    # left as it is, on an array the first item whose `id` is the id goes.
    if not objects.is_uid(uid):
        # String#format of the id Jackson bound as a String: a missing or JSON null one is
        # `null`, a number or boolean its JSON text
        shown = "null" if uid is None else json.dumps(uid) if not isinstance(uid, str) else uid
        raise PatchError(f"Invalid id {shown}")
    target = _at(doc, _tokens(pointer))
    if target is _MISSING:
        raise PatchError(f"Invalid path {pointer}")
    if isinstance(target, list):
        for i, item in enumerate(target):
            if isinstance(item, dict) and "id" in item and str(item["id"]) == uid:
                del target[i]
                break
    return doc


OPERATIONS = ("add", "remove", "remove-by-id", "replace")
# TypeNameIdResolver#getDescForKnownTypeIds: the ids as a sorted TreeSet prints them
_KNOWN = "[" + ", ".join(sorted(OPERATIONS)) + "]"
OPERATION_TYPE = "org.hisp.dhis.commons.jackson.jsonpatch.JsonPatchOperation"
_BASE_TYPE = OPERATION_TYPE


# The type deserializer of the list's items is contextualised for the delegating creator's
# argument, a BeanProperty named "#temporary-name" (BeanDeserializerBase#_findDelegateDeserializer),
# which TypeDeserializerBase adds to its messages.
_FOR_PROPERTY = " (for POJO property '#temporary-name')"


def binding_failure(raw: bytes, operations: Any) -> tuple[str, str] | None:
    """The first operation Jackson cannot bind as a JsonPatchOperation, as (its exception's
    `getOriginalMessage`, what #defaultExceptionHandler shows): an `op` that names no subtype
    (`DeserializationContext#handleUnknownTypeId`; a number or boolean `op` is its text), none
    (no `op`, a null or a structured one, an item that is no object: `#handleMissingTypeId`),
    both an InvalidTypeIdException whose whole message adds the token's location (line and byte
    column, the source redacted) and the reference chain; or a `path` that is no JSON pointer
    (`JsonPointerStdDeserializer` → `JsonPointer#valueOf`'s IllegalArgumentException, which
    WRAP_EXCEPTIONS wraps: #defaultExceptionHandler shows the cause's message). None when every
    operation binds."""
    if not isinstance(operations, list):
        return None
    text = raw.decode("utf-8")
    for index, item in enumerate(_items(text)):
        failure = _item_failure(text, index, item)
        if failure is not None:
            return failure
    return None


def _type_id_failure(text: str, index: int, type_id: str | None, pos: int) -> tuple[str, str]:
    if type_id is None:
        original = (f"Could not resolve subtype of [simple type, class {_BASE_TYPE}]: missing "
                    f"type id property 'op'{_FOR_PROPERTY}")
    else:
        original = (f"Could not resolve type id '{type_id}' as a subtype of `{_BASE_TYPE}`: "
                    f"known type ids = {_KNOWN}{_FOR_PROPERTY}")
    line, column = _location(text, pos)
    return original, (
        f"{original}\n at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` "
        f"disabled); line: {line}, column: {column}] (through reference chain: "
        f"java.util.ArrayList[{index}])")


def _item_failure(text: str, index: int, item: tuple[int, int]) -> tuple[str, str] | None:
    start, end = item
    if text.startswith("null", start):
        return None  # a null item binds (and fails later, which the sandbox leaves out)
    if text[start] == "[":
        return None  # the wrapper-array type id: not modelled
    if text[start] != "{":
        return _type_id_failure(text, index, None, start)
    type_id, path = None, None
    for key, value_start, value_end in _members(text, start):
        scalar = _scalar_text(text, value_start, value_end)
        if key == "op" and type_id is None and scalar is not None:
            type_id = scalar
            if type_id not in OPERATIONS:
                return _type_id_failure(text, index, type_id, value_start)
        elif key == "path" and path is None:
            path = scalar
    if type_id is None:
        return _type_id_failure(text, index, None, end - 1)  # at the object's `}`
    if path and not path.startswith("/"):
        message = f"Invalid input: JSON Pointer expression must start with '/': \"{path}\""
        return message, message
    return None


def _scalar_text(text: str, start: int, end: int) -> str | None:
    """`JsonParser#getValueAsString`: a string's value, a number's or boolean's text, else
    None (null, an object, an array)."""
    raw = text[start:end]
    if raw[0] == '"':
        value: str = json.loads(raw)
        return value
    if raw[0] in "{[" or raw == "null":
        return None
    return raw


_WS = " \t\r\n"
_DECODER = json.JSONDecoder()


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WS:
        pos += 1
    return pos


def _items(text: str) -> list[tuple[int, int]]:
    """(start, end) of each item of the root array."""
    items = []
    pos = _skip(text, _skip(text, 0) + 1)  # past `[`
    while pos < len(text) and text[pos] != "]":
        end = _DECODER.raw_decode(text, pos)[1]
        items.append((pos, end))
        pos = _skip(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
    return items


def _members(text: str, start: int) -> list[tuple[str, int, int]]:
    """(key, value start, value end) of an object's members, duplicates kept, in order."""
    members = []
    pos = _skip(text, start + 1)  # past `{`
    while pos < len(text) and text[pos] == '"':
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, _skip(text, pos) + 1)  # past `:`
        value_end = _DECODER.raw_decode(text, pos)[1]
        members.append((key, pos, value_end))
        pos = _skip(text, value_end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
    return members


def _location(text: str, pos: int) -> tuple[int, int]:
    """Line and column (1-based, bytes as UTF8StreamJsonParser counts them) of `pos`."""
    before = text[:pos].replace("\r\n", "\n").replace("\r", "\n")
    line_start = before.rfind("\n") + 1
    return before.count("\n") + 1, len(before[line_start:].encode("utf-8")) + 1


def matching_property(pointer: str) -> str | None:
    tokens = _tokens(pointer)
    return tokens[0] if tokens else None


def validate_paths(operations: list[dict[str, Any]], properties: Collection[str]) -> None:
    """JsonPatchManager#validatePatchPath: every path's first segment is a schema key."""
    for op in operations:
        name = matching_property(op["path"])
        if name is None or name not in properties:
            # the empty pointer's name is null, which the concatenation prints as "null"
            shown = "null" if name is None else name
            raise PatchError(f"Property {shown} does not exist on Schema")


_CREDENTIALS = "/userCredentials"


def without_user_credentials(operations: Any) -> Any:
    """2.41.9 `AbstractCrudController#doPatch` (:229-238), for a User before the patch is
    applied: every path whose first segment is `userCredentials` becomes its tail
    (`JsonPointer#matchProperty`, then `JsonPointer.empty().append(tail)`), so
    `/userCredentials/disabled` patches `/disabled` and `/userCredentials` alone the whole
    document (`""`, which validatePatchPath then refuses). `from` is left as it is."""
    if not isinstance(operations, list):
        return operations
    out = []
    for op in operations:
        path = op.get("path") if isinstance(op, dict) else None
        if isinstance(path, str) and (path == _CREDENTIALS or path.startswith(_CREDENTIALS + "/")):
            op = {**op, "path": path[len(_CREDENTIALS):]}
        out.append(op)
    return out


def apply(doc: dict[str, Any], operations: Any,
          properties: Collection[str] | None = None) -> dict[str, Any]:
    """Apply the patch; with `properties` (the schema's keys) the paths are checked first."""
    if not isinstance(operations, list):
        raise PatchError("A JSON patch is an array of operations")
    for op in operations:
        if not isinstance(op, dict) or "op" not in op or "path" not in op:
            raise PatchError("Each operation needs `op` and `path`")
    if properties is not None:
        validate_paths(operations, properties)
    result: Any = copy.deepcopy(doc)
    for op in operations:
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
        else:
            raise PatchError(f"Unknown operation `{kind}`")
    if not isinstance(result, dict):
        raise PatchError("A patch must leave an object")
    return result
