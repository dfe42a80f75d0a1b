"""Write sandbox/data/schema_registry/<tag>.json from a dhis2-core checkout at one tag.

    python scripts/schema_registry.py --repo /path/to/dhis2-core.git 2.41.9 2.42.5 2.43.1

Reads (with `git show`, no work tree needed) the descriptors `DefaultSchemaService#init`
registers, in its order (`register` is a `putIfAbsent` by class, so a later descriptor of an
already registered class is dropped), and from each `*SchemaDescriptor.java`: singular, plural,
class, `setOrder`, `setShareable`/`setDataShareable`, `setImplicitPrivateAuthority`,
`setRelativeApiEndpoint`, `setDefaultPrivate` and the
`Authority` lists per `AuthorityType` (string literals, the descriptor's own constants and
`Authorities` enum constants alike). `metadata` is `Schema`'s
`MetadataObject.class.isAssignableFrom(klass)` and `secondaryMetadata` its
`SecondaryMetadataObject.class.isAssignableFrom(klass)` (`Schema#isSecondaryMetadata`, which
`DefaultMetadataExportService#getMetadata` leaves out of an export that chooses no type) and
`subscribableObject` its `SubscribableObject.class.isAssignableFrom(klass)`, each found by
walking the class's `extends` and `implements` through the sources of the same tag.
`hashCodeOwner` is the class itself or its nearest superclass declaring `hashCode`. `name` is
the `@JsonRootName`/`@JacksonXmlRootElement(localName)` of the class or its nearest supertype.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

SCHEMA_DIR = "dhis-2/dhis-services/dhis-service-schema/src/main/java/org/hisp/dhis/schema"
DESCRIPTORS = f"{SCHEMA_DIR}/descriptors"
SERVICE = f"{SCHEMA_DIR}/DefaultSchemaService.java"
OUT = Path(__file__).resolve().parent.parent / "sandbox" / "data" / "schema_registry"
METADATA_OBJECT = "org.hisp.dhis.common.MetadataObject"
SECONDARY_METADATA_OBJECT = "org.hisp.dhis.common.SecondaryMetadataObject"
SUBSCRIBABLE_OBJECT = "org.hisp.dhis.common.SubscribableObject"

_COMMENTS = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*.*?\*/', re.S)
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


class Source:
    def __init__(self, repo: str, tag: str) -> None:
        self.repo, self.tag = repo, tag
        self._texts: dict[str, str] = {}
        listing = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", tag],
                                 check=True, capture_output=True, text=True).stdout.split()
        # Main sources only: test fixtures declare classes of the same names.
        self.by_fqn: dict[str, str] = {}
        for path in listing:
            match = re.search(r"/src/main/java/(.+)\.java$", path)
            if match:
                self.by_fqn.setdefault(match.group(1).replace("/", "."), path)

    def read(self, path: str) -> str:
        if path not in self._texts:
            text = subprocess.run(["git", "-C", self.repo, "show", f"{self.tag}:{path}"],
                                  check=True, capture_output=True, text=True).stdout
            # Keep string literals intact while dropping comments ("//" inside a literal).
            self._texts[path] = _COMMENTS.sub(
                lambda m: m.group(0) if m.group(0).startswith('"') else " ", text)
        return self._texts[path]


def _imports(text: str) -> tuple[str, dict[str, str], list[str], dict[str, str]]:
    package = re.search(r"^\s*package\s+([\w.]+)\s*;", text, re.M)
    names: dict[str, str] = {}
    wildcards: list[str] = []
    statics: dict[str, str] = {}
    for static, fqn in re.findall(r"^\s*import\s+(static\s+)?([\w.*]+)\s*;", text, re.M):
        if static:
            statics[fqn.rsplit(".", 1)[1]] = fqn.rsplit(".", 1)[0]
        elif fqn.endswith(".*"):
            wildcards.append(fqn[:-2])
        else:
            names[fqn.rsplit(".", 1)[1]] = fqn
    return (package.group(1) if package else ""), names, wildcards, statics


def _resolve(src: Source, name: str, context: str) -> str | None:
    """The fully qualified name a simple or qualified type name means in `context`'s file."""
    name = re.sub(r"<.*", "", name).strip()
    if name in src.by_fqn:
        return name
    package, names, wildcards, _ = _imports(src.read(context))
    head, _, rest = name.partition(".")
    candidates = []
    if head in names:
        candidates.append(names[head] + ("." + rest if rest else ""))
    candidates.append(f"{package}.{name}")
    candidates.extend(f"{w}.{name}" for w in wildcards)
    candidates.append(f"java.lang.{name}")
    for fqn in candidates:
        if fqn in src.by_fqn:
            return fqn
        # A nested type: Outer.Inner lives in Outer's file.
        outer = fqn.rsplit(".", 1)[0]
        if outer in src.by_fqn and re.search(
                rf"\b(class|interface|enum|record)\s+{re.escape(fqn.rsplit('.', 1)[1])}\b",
                src.read(src.by_fqn[outer])):
            return fqn
    return candidates[0] if head in names else None


def _supertypes(src: Source, fqn: str) -> list[str]:
    path = src.by_fqn.get(fqn) or src.by_fqn.get(fqn.rsplit(".", 1)[0])
    if path is None:
        return []
    text = src.read(path)
    simple = fqn.rsplit(".", 1)[1]
    match = re.search(
        rf"\b(?:class|interface|record)\s+{re.escape(simple)}\b(?:\s*<[^{{]*?>)?"
        rf"(?:\s*\([^)]*\))?([^{{]*)\{{", text)
    if not match:
        return []
    header = re.sub(r"<[^<>]*>", "", re.sub(r"<[^<>]*>", "", match.group(1)))
    out = []
    for clause in re.findall(r"\b(?:extends|implements)\s+([\w.,\s]+?)(?=\bimplements\b|$)",
                             header):
        for name in clause.split(","):
            name = name.strip()
            if name:
                resolved = _resolve(src, name, path)
                if resolved:
                    out.append(resolved)
    return out


def reaches(start: str, target: str, parents: Callable[[str], Iterable[str]]) -> bool:
    """Whether `target` is `start` or among its ancestors (`Class#isAssignableFrom` over the
    sources), each type visited once."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        current = todo.pop()
        if current == target:
            return True
        if current in seen:
            continue
        seen.add(current)
        todo.extend(parents(current))
    return False


def is_metadata(src: Source, fqn: str) -> bool:
    return reaches(fqn, METADATA_OBJECT, lambda current: _supertypes(src, current))


def is_secondary_metadata(src: Source, fqn: str) -> bool:
    return reaches(fqn, SECONDARY_METADATA_OBJECT, lambda current: _supertypes(src, current))


def is_subscribable_object(src: Source, fqn: str) -> bool:
    return reaches(fqn, SUBSCRIBABLE_OBJECT, lambda current: _supertypes(src, current))


_ROOT = re.compile(r"@(?:[\w.]+\.)?(JsonRootName|JacksonXmlRootElement)\b\s*(\(([^)]*)\))?")


RootElement = tuple[bool, str | None, str | None]
DXF_NAMESPACES = "org.hisp.dhis.common.DxfNamespaces"


def _namespace(src: Source, args: str) -> str | None:
    """An annotation's `namespace`: a literal or a `DxfNamespaces` constant, None when absent."""
    found = re.search(r'namespace\s*=\s*("(?:[^"\\]|\\.)*"|[\w.]+)', args)
    if found is None:
        return None
    value = found.group(1)
    if value.startswith('"'):
        return value[1:-1] or None
    text = src.read(src.by_fqn[DXF_NAMESPACES])
    constant = re.search(rf'\b{re.escape(value.rsplit(".", 1)[-1])}\s*=\s*"([^"]*)"', text)
    if constant is None:
        raise ValueError(f"cannot read namespace {value}")
    return constant.group(1) or None


def _own_root_name(src: Source, fqn: str) -> RootElement:
    """Whether the type's own declaration carries @JsonRootName/@JacksonXmlRootElement, and the
    name it gives (JsonRootName's value first, as JacksonPropertyIntrospector#createSchemaProperty
    reads it; an empty name gives none)."""
    path = src.by_fqn.get(fqn) or src.by_fqn.get(fqn.rsplit(".", 1)[0])
    if path is None:
        return False, None, None
    text = src.read(path)
    simple = fqn.rsplit(".", 1)[1]
    declaration = re.search(rf"\b(?:class|interface|record|enum)\s+{re.escape(simple)}\b", text)
    if declaration is None:
        return False, None, None
    # The annotations before the declaration: after the imports (a top-level type) or after the
    # last statement (a nested one).
    before = text[:declaration.start()]
    imports = list(re.finditer(r"^\s*import\s+[\w.*\s]+;", before, re.M))
    start = imports[-1].end() if imports and path == src.by_fqn.get(fqn) else before.rfind(";") + 1
    found = {kind: args or "" for kind, _, args in _ROOT.findall(before[start:])}
    if not found:
        return False, None, None
    if "JsonRootName" in found:
        args = found["JsonRootName"]
        named = re.search(r'(?:value\s*=\s*)?"([^"]*)"', args)
    else:
        args = found["JacksonXmlRootElement"]
        named = re.search(r'localName\s*=\s*"([^"]*)"', args)
    return True, (named.group(1) or None) if named else None, _namespace(src, args)


def _parents_in_search_order(src: Source, fqn: str) -> list[str]:
    """A type's interfaces, then its superclass: the order Spring's annotation scanner
    (`AnnotationsScanner#processClassHierarchy`) visits them, depth first."""
    parents = _supertypes(src, fqn)
    path = src.by_fqn.get(fqn) or src.by_fqn.get(fqn.rsplit(".", 1)[0]) or ""
    simple = fqn.rsplit(".", 1)[1]
    is_class = bool(path) and re.search(rf"\bclass\s+{re.escape(simple)}\b[^{{]*\bextends\b",
                                        src.read(path)) is not None
    return parents[1:] + parents[:1] if is_class and parents else parents


_HASH_CODE = re.compile(r"\bpublic\s+(?:final\s+)?int\s+hashCode\s*\(\s*\)")


def hash_code_owner(src: Source, fqn: str) -> str | None:
    """The class whose `hashCode` (and so, by the project's convention, `equals`) the class's
    objects run: the class itself or its nearest superclass declaring `public int hashCode()`;
    None when the chain leaves the sources (Object's identity hash)."""
    current: str | None = fqn
    seen: set[str] = set()
    while current and current not in seen:
        seen.add(current)
        path = src.by_fqn.get(current)
        if path is None:
            return None
        text = src.read(path)
        if _HASH_CODE.search(text):
            return current
        simple = current.rsplit(".", 1)[1]
        is_class = re.search(rf"\bclass\s+{re.escape(simple)}\b[^{{]*\bextends\b", text)
        parents = _supertypes(src, current)
        current = parents[0] if is_class and parents else None
    return None


def root_name(src: Source, fqn: str) -> RootElement:
    """The name `DefaultSchemaService#updateSelf` gives the schema: the `__schema__` property's,
    which `JacksonPropertyIntrospector#introspect` adds when the class or a supertype carries the
    root annotation (`system/util/AnnotationUtils#isAnnotationPresent`, Spring's
    `findAnnotation` over the type hierarchy, the nearest first)."""
    seen: set[str] = set()

    def visit(current: str) -> RootElement:
        if current in seen:
            return False, None, None
        seen.add(current)
        own = _own_root_name(src, current)
        if own[0]:
            return own
        for parent in _parents_in_search_order(src, current):
            found = visit(parent)
            if found[0]:
                return found
        return False, None, None

    return visit(fqn)


def _string_expr(expr: str, constants: dict[str, str], statics: dict[str, str]) -> str:
    """A descriptor's String expression: literals, its constants and enum names joined by +."""
    out = []
    for part in re.split(r"\s*\+\s*", expr.strip()):
        literal = _STRING.fullmatch(part)
        if literal:
            out.append(literal.group(1))
            continue
        part = re.sub(r"\.(toString|name)\(\)$", "", part)
        name = part.rsplit(".", 1)[-1]
        if name in constants:
            out.append(constants[name])
        elif re.fullmatch(r"(\w+\.)*F_\w+|\w+\.\w+", part) or name in statics:
            out.append(name)  # an enum constant (Authorities.F_X): its toString is its name
        else:
            raise ValueError(f"cannot read {expr!r}")
    return "".join(out)


def _args(text: str) -> list[str]:
    """Top-level comma-separated arguments of a call's argument text."""
    out, depth, current = [], 0, ""
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        out.append(current.strip())
    return out


def _call_args(text: str, start: int) -> str:
    """The argument text of the call whose "(" is at `start`."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
    raise ValueError("unbalanced call")


def _list(expr: str, constants: dict[str, str], statics: dict[str, str]) -> list[str]:
    expr = expr.strip()
    call = re.match(r"(?:\w+\.)*(newArrayList|of|asList|singletonList|singleton|copyOf)\s*\(",
                    expr)
    if call:
        inner = _call_args(expr, call.end() - 1)
        return [_string_expr(a, constants, statics) for a in _args(inner)]
    name = expr.rsplit(".", 1)[-1]
    if name in constants:
        return [constants[name]]
    raise ValueError(f"cannot read authority list {expr!r}")


def descriptor(src: Source, name: str) -> dict[str, object]:
    path = f"{DESCRIPTORS}/{name}.java"
    text = src.read(path)
    _, _, _, statics = _imports(text)
    constants: dict[str, str] = {}
    for const, expr in re.findall(
            r"static\s+final\s+String\s+(\w+)\s*=\s*([^;]+);", text):
        constants[const] = _string_expr(expr, constants, statics)
    new = re.search(r"new\s+Schema\s*\(", text)
    if not new:
        raise ValueError(f"{name}: no new Schema(...)")
    klass_expr, singular_expr, plural_expr = _args(_call_args(text, new.end() - 1))
    klass = _resolve(src, klass_expr.removesuffix(".class").strip(), path)
    if klass is None:
        raise ValueError(f"{name}: cannot resolve {klass_expr}")
    singular = _string_expr(singular_expr, constants, statics)
    plural = _string_expr(plural_expr, constants, statics)

    def setting(method: str) -> str | None:
        found = re.search(rf"\.{method}\s*\(", text)
        return _call_args(text, found.end() - 1).strip() if found else None

    order = setting("setOrder")
    endpoint = setting("setRelativeApiEndpoint")
    shareable = setting("setShareable") == "true"
    data_shareable = setting("setDataShareable") == "true"
    implicit_private = setting("setImplicitPrivateAuthority") == "true"
    default_private = setting("setDefaultPrivate") == "true"
    root = root_name(src, klass)
    authorities: dict[str, list[str]] = {}
    for found in re.finditer(r"new\s+Authority\s*\(", text):
        kind, values = _args(_call_args(text, found.end() - 1))
        kind = kind.rsplit(".", 1)[-1]
        if kind in authorities:
            raise ValueError(f"{name}: {kind} given twice")
        authorities[kind] = _list(values, constants, statics)
    return {
        "singular": singular, "plural": plural, "klass": klass,
        "order": int(order) if order is not None else None,
        "metadata": is_metadata(src, klass),
        "secondaryMetadata": is_secondary_metadata(src, klass),
        # A data-shareable type is shareable: its objects carry sharing.
        "shareable": True if shareable or data_shareable else None,
        "dataShareable": data_shareable,
        # Schema#isImplicitPrivateAuthority: DefaultAclService lets a user without the type's
        # authorities write, update and delete what sharing gives them.
        "implicitPrivateAuthority": implicit_private,
        # Schema#isDefaultPrivate, the descriptor's setDefaultPrivate
        "defaultPrivate": default_private,
        # Schema#isSubscribableObject: a SubscribableObject class
        "subscribableObject": is_subscribable_object(src, klass),
        # Schema#getName (DefaultSchemaService#updateSelf); none without a root annotation or
        # without its name. `rootElement`: whether the `__schema__` property exists, which
        # also sets collectionName and namespace
        "rootElement": root[0], "name": root[1], "namespace": root[2],
        # the class declaring the hashCode/equals its objects run (a HashSet of references)
        "hashCodeOwner": hash_code_owner(src, klass),
        "relativeApiEndpoint": _string_expr(endpoint, constants, statics) if endpoint else None,
        "authorities": authorities,
        "descriptor": path,
    }


def registry(src: Source) -> dict[str, Any]:
    init = src.read(SERVICE)
    types: dict[str, dict[str, object]] = {}
    klasses: set[object] = set()
    for name in re.findall(r"register\s*\(\s*new\s+(\w+SchemaDescriptor)\s*\(\s*\)\s*\)", init):
        info = descriptor(src, name)
        if info["klass"] in klasses:
            continue  # DefaultSchemaService#register: putIfAbsent by class
        klasses.add(info["klass"])
        types[str(info["singular"])] = info
    return {
        "_about": (
            f"Schema descriptors of dhis2-core tag {src.tag} that {SERVICE}#init registers "
            f"({DESCRIPTORS}/*SchemaDescriptor.java): singular, plural, klass, import order "
            "(Schema#setOrder), authorities per AuthorityType, whether the class is a "
            "MetadataObject (Schema#isMetadata decides if POST /api/metadata reads a top-level "
            "key, render/DefaultRenderService.java#fromMetadata) and whether it is a "
            "SecondaryMetadataObject (Schema#isSecondaryMetadata: left out of GET /api/metadata "
            "when no type is chosen, DefaultMetadataExportService#getMetadata), the relative "
            "API endpoint (Schema#hasApiEndpoint), defaultPrivate, subscribableObject and the "
            "schema name DefaultSchemaService#updateSelf takes from the class's root "
            "annotation (rootElement: whether it has one), and hashCodeOwner, the class itself or "
            "its nearest superclass declaring hashCode. Written by "
            "scripts/schema_registry.py."),
        "tag": src.tag,
        "types": dict(sorted(types.items())),
    }


def write_tags(argv: list[str], doc: str, out: Path, build: Callable[[str, str], dict[str, Any]],
               describe: Callable[[dict[str, Any]], str]) -> int:
    """The generators' command line: `--repo`, `--out`, tags; one `<tag>.json` per tag."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--repo", required=True, help="a dhis2-core git directory")
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("tags", nargs="+")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for tag in args.tags:
        data = build(args.repo, tag)
        target = args.out / f"{tag}.json"
        target.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{target}: {describe(data)}")
    return 0


def main(argv: list[str]) -> int:
    return write_tags(argv, __doc__ or "", OUT, lambda repo, tag: registry(Source(repo, tag)),
                      lambda data: f"{len(data['types'])} types")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
