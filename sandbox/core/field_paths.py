"""The flat field paths `FieldFilterParser#expandField` builds from a `fields` text, read only
to find what `FieldPathHelper#apply` refuses: two different paths to one field.

`FieldFilterParser#parse` (dhis-service-field-filtering, 2.41.9 :50-175, 2.42.5 :52-177,
2.43.1 :53-178) keeps a `FieldPath` (name, its block path, exclude, preset, transformers: Lombok
`@Data` equality) per field, dropping equal ones (the `LinkedHashSet` at its end). Two left with
one full path that are neither a preset nor an exclusion (`id~size,id`, `id,id~rename(x)`,
`children[id],children~size`: the block's own entry has no transformers) make
`FieldPathHelper#apply`'s `Collectors.toMap(FieldPath::toFullPath, …)` (no merge function;
2.41.9 :75, 2.42.5 / 2.43.1 :77) throw the IllegalStateException
"Duplicate key <path> (attempted merging values <first> and <second>)", each FieldPath in
Lombok's `toString`. `FieldFilterService#toObjectNodesStream` applies it only to a non-empty
list of objects, and it runs while the answer is being written: `GET /api/{plural}` and
`/{uid}` return a `StreamingJsonRoot` (AbstractFullReadOnlyController, 2.41.9 :248/:458,
2.42.5 :225/:431, 2.43.1 :232/:435) that `StreamingJsonRootMessageConverter#writeJsonRoot`
writes through a JsonGenerator in try-with-resources. Jackson's defaults
(`AUTO_CLOSE_JSON_CONTENT`, `AUTO_CLOSE_TARGET`; JacksonObjectMapperConfig changes neither)
close what was opened and the servlet stream, so the answer is committed as a 200: a list
`{"pager": …, "<plural>": []}`, one object an empty body; no exception handler can answer
after that. Read on `GET /api/{plural}` and `/api/{plural}/{uid}` (`metadata/crud.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

from scdi.sandbox.core.fields import _kept, read_transformers


@dataclass(frozen=True)
class FieldPath:
    name: str
    path: tuple[str, ...]
    exclude: bool
    preset: bool
    transformers: tuple[tuple[str | None, tuple[str, ...]], ...]

    @property
    def full_path(self) -> str:
        return ".".join((*self.path, self.name))

    def lombok(self) -> str:
        """`FieldPath#toString` (Lombok `@Data`), with `FieldPathTransformer`'s."""
        transformers = ", ".join(
            f"FieldPathTransformer(name={n}, parameters=[{', '.join(p)}])"
            for n, p in self.transformers)
        return (f"FieldPath(name={self.name}, path=[{', '.join(self.path)}], "
                f"exclude={str(self.exclude).lower()}, preset={str(self.preset).lower()}, "
                f"transformers=[{transformers}], fullPath={self.full_path})")


def _is_name_char(char: str) -> bool:
    """`#isAlphanumericOrSpecial` outside a transformer: also `:`, `~`, `|` (never reached)."""
    return _kept(char) or char in ":~|"


def _is_transformer(chars: list[str], idx: int) -> bool:
    """`FieldFilterParser#isTransformer`: `~`, `|`, or `::` (a lone last `:` is no transformer
    here; DHIS2 reads past the end)."""
    char = chars[idx]
    if char in "~|":
        return True
    return char == ":" and idx + 1 < len(chars) and chars[idx + 1] == ":"


def parse(spec: str) -> list[FieldPath]:
    """`FieldFilterParser#expandField`: the field paths in order, equal ones dropped."""
    out: list[FieldPath] = []
    path: list[str] = []
    token: list[str] = []
    transformers: list[tuple[str | None, tuple[str, ...]]] = []
    exclude = preset = False
    chars = list(spec)

    def add() -> None:
        if token:
            out.append(FieldPath("".join(token), tuple(path), exclude, preset,
                                 tuple(transformers)))

    idx = 0
    while idx < len(chars):
        char = chars[idx]
        if _is_transformer(chars, idx):
            read, idx = read_transformers(spec, idx)
            transformers.extend((name, tuple(params)) for name, params in read)
            continue
        if char == "," or char in "[(" or char in "])":
            add()
            if char in "[(":
                path.append("".join(token))
            elif char in "])" and path:
                path.pop()
            transformers, token = [], []
            exclude = preset = False
        elif char == "!":
            exclude = True
        elif char == ":":
            preset = True
        elif char == "*":
            token.extend("all")
            preset = True
        elif _is_name_char(char):
            token.append(char)
        idx += 1
    add()
    return list(dict.fromkeys(out))


def duplicate_key(spec: str) -> str | None:
    """The IllegalStateException's message `FieldPathHelper#apply` throws, or None."""
    seen: dict[str, FieldPath] = {}
    for fp in parse(spec):
        if fp.preset or fp.exclude:
            continue
        first = seen.setdefault(fp.full_path, fp)
        if first is not fp:
            return (f"Duplicate key {fp.full_path} (attempted merging values "
                    f"{first.lombok()} and {fp.lombok()})")
    return None

