"""The `fields` parameter: parsing and applying DHIS2 field selections.

Syntax and presets from dhis2-core `dhis-services/dhis-service-field-filtering`
(`fieldfiltering/FieldFilterParser.java`, `FieldPreset.java`, `FieldPathHelper.java`):
`a,b[c,d],!e,*,:all,:owner,:identifiable,:nameable,:simple,:persisted`;
nested selections in `[]` (or `()`), `!x` excludes (`-x` is `x`: the parser reads a name
character by character, see `_read_part`; `#expandField`'s loop 2.41.9 :75-168, 2.42.5 :77-170,
2.43.1 :78-171). Default list fields `id,displayName` (the
fields of `FieldPreset.ID_NAME`), single object `*` (2.41.9
`webapi/controller/AbstractFullReadOnlyController.java`, 2.42.5/2.43.1 `query/GetObjectParams`).
`FieldPathHelper#applyPresets` has no branch for `idName`, `id` or `code`, so `:idName` written
in a request is a preset that selects nothing (2.41.9 = 2.42.5 = 2.43.1). The other presets are
properties of the object's schema (`#applyPresets`: 2.41.9 :195-231, 2.42.5 = 2.43.1 :197-233):
`*` / `:all` every one, `:owner` those that are `Property::isOwner`, `:persisted`
`Property::isPersisted`, `:simple` those whose `PropertyType#isSimple`, `:identifiable` /
`:nameable` the preset's names the schema has
(`FieldPreset`, 2.41.9 `FieldPreset.IDENTIFIABLE_FIELDS` and `Preset.NAMEABLE`: the same names),
so a key the stored object holds beyond them is never written (`PresetProperties`, given by the
caller that knows the type; without it every key of the object is kept).
A nested selection on a reference (`parent[id,name]`) resolves the referenced object.
A property selected with nothing below it, by a preset or by name (`*`, `:owner`,
`categoryCombo`), is expanded by `FieldPathHelper#applyDefaults` (2.41.9 :103-121, 2.42.5 =
2.43.1 :105-123; only a path nothing is selected below, `#calculatePathCount`;
`#expandReference`, `#expandComplex`, `#isReference`, `#isComplex`): a reference, single or a
collection's items, to its `id` (`categoryCombo: {id}`), a complex or embedded object
(`dataSetElements`, `sharing`) to every property of its class, each expanded in turn;
`FieldFilterSimpleBeanPropertyFilter#include` writes no other key (`_expand`). A property
Jackson writes with its own serialiser is beyond the filter and written whole (see
`PresetProperties.expansion`).

Transformers (2.41.9 = 2.42.5 = 2.43.1): `FieldFilterParser#expandField` reads them after the
field name, introduced by `~`, `|` or `::`, parameters in `()` separated by `;`
(`name~rename(label)`, `children::size`, `categoryOptions~pluck[id]`, `a::size~rename(n)`), as
many as are chained, after a parameter list too (`id~rename(x)~size`); a transformer written
after a nested block (`a[id]~size`) belongs to no field and is lost.
A transformer's name and parameters keep only letters, digits and `* { } !`
(`#isAlphanumericOrSpecial`): `rename(display_name)` renames to `displayname`.
`FieldFilterService#getTransformers` knows rename, size, isEmpty, isNotEmpty, pluck, keyBy; any
other name is skipped ("invalid transformer": no error, the field is rendered untransformed).
They run on the rendered JSON, each on the original value, rename last (`getOrder` 10):
- `size` (`SizeFieldTransformer`): array → its size, text → its length (UTF-16 units, as
  `String#length` counts), numbers kept;
- `isEmpty` / `isNotEmpty`: array → true/false; other values untouched;
- `pluck(f)` (`id` without parameters; `pluck()` reads the empty name): array → the `f` of
  each object item (items without it kept);
- `keyBy(f)` (likewise): array → object keyed by the item's `f` as text (items without it,
  or whose text is only white space, Spring `StringUtils#hasText`, dropped; a repeated key
  collects its items in an array);
- `rename(x)`: the field is removed and written again under `x` (so it moves last).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

PRESETS: dict[str, list[str]] = {
    "identifiable": ["id", "name", "code", "created", "lastUpdated", "lastUpdatedBy"],
    "nameable": ["id", "name", "shortName", "description", "code", "created", "lastUpdated"],
}
# GetObjectParams#getFieldsJsonList: the fields of FieldPreset.ID_NAME, not the preset.
LIST_DEFAULT = "id,displayName"
ALL_MARKERS = {"*", ":all", ":owner", ":persisted", ":simple"}

Resolver = Callable[[dict[str, Any]], dict[str, Any]]
# The presets whose names the schema decides (`*` is read as `:all`).
SCHEMA_PRESETS = ("*", ":all", ":owner", ":persisted", ":simple", ":identifiable", ":nameable")


class PresetProperties(Protocol):
    """The schema of the object a selection is applied to, as `FieldPathHelper#applyPresets`
    reads it."""

    def names(self, preset: str) -> frozenset[str] | None:
        """The properties a preset (`:owner`, …) expands to; None when the schema is unknown."""

    def child(self, name: str) -> PresetProperties | None:
        """The schema of a property's value (a collection's items)."""

    def expansion(self, name: str) -> str | None:
        """How `FieldPathHelper#applyDefaults` expands the property when nothing below it is
        selected: `reference` (its `id` only), `complex` (every property of its class, each
        expanded in turn) or None (written as it is)."""

    def written_whole(self, name: str) -> Callable[[Any], Any] | None:
        """The writer of a property whose getter has its own Jackson serialiser: it writes the
        value whole, whatever the selection names below it; None for the others."""


Transformer = tuple[str, list[str]]


class JsonNull:
    """A null the transformers write after the NON_NULL mapper has run (`ObjectNode#set` of a
    null value is a `NullNode`), so `metadata/non_null.py` keeps it and the JSON is `null`."""

    def __repr__(self) -> str:
        return "JSON_NULL"


JSON_NULL = JsonNull()
TRANSFORMERS = ("rename", "size", "isEmpty", "isNotEmpty", "pluck", "keyBy")


@dataclass
class Field:
    name: str
    exclude: bool = False
    children: list[Field] | None = None
    transformers: list[Transformer] = field(default_factory=list)
    # the preset (`:identifiable`, `:nameable`) this name was expanded from: written only when
    # the schema has the property
    preset: str | None = None


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


def _kept(char: str) -> bool:
    """FieldFilterParser#isAlphanumericOrSpecial: the characters a transformer's name and
    parameters are built from; the parser skips any other. commons-lang `isAlphanumeric` is
    `Character#isLetterOrDigit(char)` (letters and decimal digits, not `²` or `½`) of each
    UTF-16 unit, so a character beyond the BMP (two surrogate units) is none."""
    return (ord(char) <= 0xFFFF and (char.isalpha() or char.isdecimal())) or char in "*{}!"


# Character#isWhitespace: the space separators but the no-break ones, and these controls
_JAVA_WHITESPACE_CONTROLS = "\t\n\u000b\f\r\u001c\u001d\u001e\u001f"


def _has_text(text: str) -> bool:
    """Spring `StringUtils#hasText`: a character that is not `Character#isWhitespace`."""
    return any(not (c in _JAVA_WHITESPACE_CONTROLS or (
        unicodedata.category(c) in ("Zs", "Zl", "Zp") and c not in "\u00a0\u2007\u202f"))
        for c in text)


def read_transformers(part: str, i: int) -> tuple[list[tuple[str | None, list[str]]], int]:
    """From a `~`, `|` or `::` at `i`: the transformers as FieldFilterParser#expandField's
    transformer loop collects them, and where the field goes on. As in Java, one ended by a
    separator is kept when it has a name (an empty one too), the last one always (its name
    null when none was read): `FieldPath`'s equality and text see them (`core/field_paths.py`)."""
    out: list[tuple[str | None, list[str]]] = []
    text: list[str] = []
    name: str | None = None
    params: list[str] = []
    inside = False
    while i < len(part):
        char = part[i]
        if char in ":~|":
            # a separator ends the transformer read so far; `:` stands for `::`
            i += 2 if char == ":" else 1
            if text and not params:
                name = "".join(text)
            if name is not None:
                out.append((name, params))
            text, name, params = [], None, []
            continue
        if _kept(char):
            text.append(char)
        elif char == "(":
            inside, name, text = True, "".join(text), []
        elif inside and char == ";":
            params.append("".join(text))
            text = []
        elif inside and char == ")":
            params.append("".join(text))
            i += 1
            break
        elif char == "," or (char in "[]" and not inside):
            break
        i += 1
    if text and not params:
        name = "".join(text)
    out.append((name, params))
    return out, i


def _read_transformers(part: str, i: int) -> tuple[list[Transformer], int]:
    """`read_transformers` without the nameless ones, which transform nothing."""
    read, i = read_transformers(part, i)
    return [(name, params) for name, params in read if name], i


def _name_char(char: str) -> bool:
    """The characters FieldFilterParser#expandField puts on a field's name: those of
    `#isAlphanumericOrSpecial` that no earlier branch takes (`!`, `:`, `*`, `~`, `|` have
    their own), so letters, digits, `{` and `}`; `-`, `_`, `.`, spaces and the rest are
    dropped (`display_name` reads `displayname`)."""
    return _kept(char) and char not in "*!"


@dataclass
class _Part:
    name: str
    exclude: bool
    preset: bool
    transformers: list[Transformer]
    inner: str | None
    rest: str


def _read_part(part: str) -> _Part:
    """One field of a selection, as FieldFilterParser#expandField reads it character by
    character: `!` anywhere in it makes it an exclusion, a single `:` anywhere a preset, `*` puts
    `all` on the name and makes it a preset; `~`, `|` and `::` start transformers (left after a
    parameter list's `)` with the loop reading on the same field: `id~rename(x)~size`); other
    characters go on the name when `#isAlphanumericOrSpecial`, else are skipped. A nested block
    `[...]` (or `(...)`) ends the field; what follows its end is a new field of the outer
    selection (`a[id]b` selects `a` and `b`)."""
    name: list[str] = []
    transformers: list[Transformer] = []
    exclude = preset = False
    i = 0
    while i < len(part) and part[i] not in "[()]":
        char = part[i]
        if char in "~|" or part.startswith("::", i):
            more, i = _read_transformers(part, i)
            transformers.extend(more)
            continue
        if char == "!":
            exclude = True
        elif char == ":":
            preset = True
        elif char == "*":
            name.append("all")
            preset = True
        elif _name_char(char):
            name.append(char)
        i += 1
    inner = None
    rest = ""
    if i < len(part) and part[i] in "[(":
        depth, j = 0, i
        while j < len(part):
            if part[j] in "[(":
                depth += 1
            elif part[j] in "])":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        inner = part[i + 1:j]
        rest = part[j + 1:]
    return _Part("".join(name), exclude, preset, transformers, inner, rest)


def _transform(out: dict[str, Any], name: str, value: Any,
               transformers: list[Transformer]) -> None:
    """FieldFilterService#applyTransformers for one rendered field of `out`."""
    known = [t for t in transformers if t[0] in TRANSFORMERS]
    for kind, params in sorted(known, key=lambda t: t[0] == "rename"):
        # pluck/keyBy read parameter 0 when there is one, even an empty one (`pluck()`)
        key = params[0] if params else "id"
        if kind == "rename":
            if not params:
                continue
            # RenameFieldTransformer: `remove(fieldName)` then `set(param, value)`; a second
            # rename of the field finds nothing left and writes a NullNode (`"b": null`)
            moved = out.pop(name, JSON_NULL)
            out[params[0]] = moved
        elif kind == "size":
            if isinstance(value, list):
                out[name] = len(value)
            elif isinstance(value, str):  # String#length: UTF-16 units
                out[name] = len(value.encode("utf-16-le", "surrogatepass")) // 2
        elif kind in ("isEmpty", "isNotEmpty") and isinstance(value, list):
            out[name] = (not value) if kind == "isEmpty" else bool(value)
        elif kind == "pluck" and isinstance(value, list):
            out[name] = [v[key] if isinstance(v, dict) and key in v else v for v in value]
        elif kind == "keyBy" and isinstance(value, list):
            keyed: dict[str, Any] = {}
            for item in value:
                if not isinstance(item, dict) or key not in item:
                    continue
                text = _as_text(item[key])
                if text not in keyed and _has_text(text):
                    keyed[text] = item
                elif text in keyed:
                    held = keyed[text]
                    keyed[text] = [*held, item] if isinstance(held, list) else [held, item]
            out[name] = keyed


def _as_text(value: Any) -> str:
    """JsonNode#asText."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (dict, list)):
        return ""
    return str(value)


def parse(spec: str | list[str] | None, default: str = "*") -> Selection:
    if isinstance(spec, list):
        spec = ",".join(spec)
    if not spec:
        spec = default
    out = Selection()
    for part in _split(spec):
        _add_part(out, part)
    return out


def _add_part(out: Selection, text: str) -> None:
    part = _read_part(text)
    children = parse(part.inner).fields if part.inner is not None else None
    if part.preset:
        # FieldPathHelper#apply applies every preset, an excluded one too (`!:owner` still
        # selects the owner properties); its exclusion names a property `owner`, which no
        # class has. A preset no branch of #applyPresets knows selects nothing.
        preset = ":" + part.name
        if part.name in PRESETS:
            out.fields.extend(Field(n, preset=preset) for n in PRESETS[part.name])
        elif preset in ALL_MARKERS:
            out.fields.append(Field(preset))
        if part.exclude:
            out.fields.append(Field(part.name, True))
    elif part.name:
        out.fields.append(Field(part.name, part.exclude, children, part.transformers))
    if part.rest.strip(" ,"):
        for more in _split(part.rest):
            _add_part(out, more)


def _render_value(value: Any, children: list[Field] | None, resolve: Resolver | None,
                  schema: PresetProperties | None) -> Any:
    if children is None:
        return value
    if isinstance(value, list):
        return [_render_value(v, children, resolve, schema) for v in value]
    if isinstance(value, dict):
        source = value
        if resolve is not None and set(value) <= {"id"} | {"code", "name", "displayName"}:
            source = resolve(value)
        return select(source, Selection(children), resolve, schema=schema)
    return value


def _expand(value: Any, name: str, schema: PresetProperties | None) -> Any:
    """FieldPathHelper#applyDefaults for a property selected with nothing below it."""
    kind = schema.expansion(name) if schema is not None else None
    if kind is None or schema is None:
        return value
    if isinstance(value, list):
        return [_expand_one(v, kind, schema.child(name)) for v in value]
    return _expand_one(value, kind, schema.child(name))


def _expand_one(value: Any, kind: str, child: PresetProperties | None) -> Any:
    if not isinstance(value, dict):
        return value
    if kind == "reference":
        # #expandReference: the path `x.id` alone (a reference the store keeps without an id
        # is kept as it is)
        return {"id": value["id"]} if "id" in value else value
    if child is None or child.names(":all") is None:
        return value  # a class without a schema here: written as it is
    return select(value, Selection([Field(":all")]), schema=child)


def _preset_keys(selection: Selection, schema: PresetProperties | None) -> frozenset[str] | None:
    """The keys the selection's `*`-like presets write: the union of what the schema expands
    each to; None (every key) without a schema."""
    keys: set[str] = set()
    for item in selection.fields:
        if item.exclude or item.name not in ALL_MARKERS:
            continue
        names = schema.names(item.name) if schema is not None and \
            item.name in SCHEMA_PRESETS else None
        if names is None:
            return None
        keys |= names
    return frozenset(keys)


def _in_preset(item: Field, schema: PresetProperties | None) -> bool:
    """A name a preset expanded to is written only when the schema has it."""
    if item.preset is None or schema is None:
        return True
    names = schema.names(item.preset)
    return names is None or item.name in names


def select(obj: dict[str, Any], selection: Selection, resolve: Resolver | None = None,
           drop_keys: frozenset[str] = frozenset(),
           schema: PresetProperties | None = None) -> dict[str, Any]:
    """Apply a selection to one (already decorated) object; key order follows the object
    for `*`, and the request for named fields. `schema`: the object's type, which decides what
    the presets select (see the module docstring)."""
    excluded = {f.name for f in selection.fields if f.exclude}
    out: dict[str, Any] = {}
    if selection.all:
        kept = _preset_keys(selection, schema)
        for key, value in obj.items():
            if key in excluded or key in drop_keys or (kept is not None and key not in kept):
                continue
            whole = schema.written_whole(key) if schema is not None else None
            out[key] = whole(value) if whole is not None else _expand(value, key, schema)
    explicit = {f.name for f in selection.fields if not f.exclude and f.preset is None}
    for item in selection.fields:
        if item.exclude or item.name in ALL_MARKERS:
            continue
        if item.name in excluded or item.name not in obj:
            continue
        if item.name not in explicit and not _in_preset(item, schema):
            continue
        whole = schema.written_whole(item.name) if schema is not None else None
        if whole is not None:
            out[item.name] = whole(obj[item.name])
            continue
        child = schema.child(item.name) if schema is not None else None
        out[item.name] = (_expand(obj[item.name], item.name, schema) if item.children is None
                          else _render_value(obj[item.name], item.children, resolve, child))
    # getTransformers keys them by path, so the last field of a name wins; they run on the
    # rendered object, field by field in its order.
    transformers = {f.name: f.transformers for f in selection.fields if not f.exclude}
    for key in list(out):
        if transformers.get(key):
            _transform(out, key, out[key], transformers[key])
    return out


def _in_document_order(fields: list[Field], doc: Any) -> list[Field]:
    """The named fields sorted as the document holds its keys, nested ones too."""
    if not isinstance(doc, dict):
        return fields
    position = {key: i for i, key in enumerate(doc)}
    ordered = sorted(fields, key=lambda f: position.get(f.name, len(position)))
    return [Field(f.name, f.exclude, None if f.children is None else
                  _in_document_order(f.children, doc.get(f.name)), f.transformers,
                  f.preset)
            for f in ordered]


def apply_simple(data: dict[str, Any], spec: str) -> dict[str, Any]:
    """Field selection on a document Jackson writes from a plain class (system info).

    `FieldFilterService#toObjectNodes` serialises the object with a property filter, so the
    selection only says which properties are written: they come in the class's own order, not
    the request's (`fields=version,contextPath` writes contextPath first); a renamed one moves
    last, as the transformers run on the written node (2.41.9 = 2.42.5 = 2.43.1)."""
    return select(data, Selection(_in_document_order(parse(spec).fields, data)))
