"""The `fields` parameter: parsing and applying DHIS2 field selections.

Syntax and presets from dhis2-core `dhis-services/dhis-service-field-filtering`
(`fieldfiltering/FieldFilterParser.java`, `FieldPreset.java`, `FieldPathHelper.java`):
`a,b[c,d],!e,*,:all,:owner,:identifiable,:nameable,:idName,:simple,:persisted`;
nested selections in `[]` (or `()`), `!x` excludes, transformers after `~` / `::` are accepted
and ignored. Default list preset `:idName` (id, displayName), single object `*`
(`webapi/controller/AbstractFullReadOnlyController.java`).
A nested selection on a reference (`parent[id,name]`) resolves the referenced object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PRESETS: dict[str, list[str]] = {
    "id": ["id"],
    "code": ["code"],
    "idName": ["id", "displayName"],
    "identifiable": ["id", "name", "code", "created", "lastUpdated", "lastUpdatedBy"],
    "nameable": ["id", "name", "shortName", "description", "code", "created", "lastUpdated"],
}
ALL_MARKERS = {"*", ":all", ":owner", ":persisted", ":simple"}

Resolver = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Field:
    name: str
    exclude: bool = False
    children: list[Field] | None = None


@dataclass
class Selection:
    fields: list[Field] = field(default_factory=list)

    @property
    def all(self) -> bool:
        return any(f.name in ALL_MARKERS for f in self.fields if not f.exclude)

    @property
    def owner(self) -> bool:
        return any(f.name in (":owner", ":persisted") for f in self.fields if not f.exclude)


def _split(spec: str) -> list[str]:
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in spec:
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse(spec: str | list[str] | None, default: str = "*") -> Selection:
    if isinstance(spec, list):
        spec = ",".join(spec)
    if not spec:
        spec = default
    out = Selection()
    for part in _split(spec):
        exclude = part.startswith("!") or part.startswith("-")
        if exclude:
            part = part[1:]
        children = None
        bracket = next((i for i, c in enumerate(part) if c in "[("), -1)
        if bracket >= 0:
            inner = part[bracket + 1: part.rfind("]") if "]" in part else part.rfind(")")]
            children = parse(inner).fields
            part = part[:bracket]
        for marker in ("~", "::", "|"):
            if marker in part:
                part = part.split(marker, 1)[0]
        name = part.strip()
        if name.startswith(":") and name[1:] in PRESETS:
            out.fields.extend(Field(n, exclude) for n in PRESETS[name[1:]])
            continue
        out.fields.append(Field(name, exclude, children))
    return out


def _render_value(value: Any, children: list[Field] | None, resolve: Resolver | None) -> Any:
    if children is None:
        return value
    if isinstance(value, list):
        return [_render_value(v, children, resolve) for v in value]
    if isinstance(value, dict):
        source = value
        if resolve is not None and set(value) <= {"id"} | {"code", "name", "displayName"}:
            source = resolve(value)
        return select(source, Selection(children), resolve)
    return value


def select(obj: dict[str, Any], selection: Selection, resolve: Resolver | None = None,
           drop_keys: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Apply a selection to one (already decorated) object; key order follows the object
    for `*`, and the request for named fields."""
    excluded = {f.name for f in selection.fields if f.exclude}
    out: dict[str, Any] = {}
    if selection.all:
        for key, value in obj.items():
            if key in excluded or key in drop_keys:
                continue
            out[key] = value
    for item in selection.fields:
        if item.exclude or item.name in ALL_MARKERS:
            continue
        if item.name in excluded or item.name not in obj:
            continue
        out[item.name] = _render_value(obj[item.name], item.children, resolve)
    return out


def apply_simple(data: dict[str, Any], spec: str) -> dict[str, Any]:
    """Field selection on a non-metadata document (system info, /api/me)."""
    return select(data, parse(spec))
