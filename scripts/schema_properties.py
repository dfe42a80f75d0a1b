"""Write sandbox/data/schema_properties/<tag>.json: the properties of every type of the schema
registry (scripts/schema_registry.py) at one dhis2-core tag.

    python scripts/schema_properties.py --repo /path/to/dhis2-core.git 2.41.9 2.42.5 2.43.1

Emulates, over the sources read with `git show` (no work tree, no build), the part of
`schema/DefaultPropertyIntrospectorService.java` the sandbox needs:
- `introspection/JacksonPropertyIntrospector.java#collectProperties`: every field with
  `@JsonProperty` (`ReflectionUtils#findFields`: the class and its superclasses), then every
  zero-argument method (`ReflectionUtils#findMethods`, Spring's `getUniqueDeclaredMethods`: the
  leaf-most declaration of each, interface default methods included) whose override chain
  carries `@JsonProperty` (Spring `AnnotationUtils#findAnnotation`: the method, the interfaces
  of its class, then each superclass and its interfaces). Key: the annotation's value, else the
  field name or `ReflectionUtils#getFieldName` of the getter; `klass` the wrapped getter return
  type; `collection`/`ordered`/`itemKlass` from the generic return type (`#initCollectionProperty`);
  `writable` when `ReflectionUtils#findSetterMethod` finds `set<Field>(<return type>)` or the
  property is persisted. Lombok `@Getter`/`@Setter`/`@Data` (class or field) count as methods.
- `introspection/HibernatePropertyIntrospector.java`: `persisted` when the property's field
  name is a Hibernate property of the class (the `*.hbm.xml` mapping, `&identifiableProperties;`
  expanded, a `<subclass>` inheriting its parent's; or, for JPA-mapped entities, the
  non-transient fields of the `@Entity` class and its `@MappedSuperclass`es); `owner` false only
  for an inverse collection (`inverse="true"`, `mappedBy`); `owningRole`/`inverseRole` from the
  many-to-many collections sharing a join table (`#updateJoinTables`).
- `introspection/PropertyPropertyIntrospector.java`: `propertyType`/`itemPropertyType`
  (`#getPropertyType`) and `@Property` (`value`, `persisted`, `owner`, `access = READ_ONLY`,
  `persistedAs`); `schemaName` is `@JacksonXmlProperty(localName)` when it differs from the key
  (`#initFromJacksonXmlProperty`: the `name` /api/schemas shows).
- the constraints `schema/validation/DefaultSchemaValidator.java` and `UniquenessCheck` read:
  `HibernatePropertyIntrospector#createProperty` (the first column of a property, many-to-one
  or custom type: `required` = not null, `unique`, `length` (default 255), min 0 and max the
  length; `text` and the integer, long and double types their own bounds; a collection min 0,
  max Double.MAX_VALUE), for 2.43.1's JPA classes from `@Column`/`@JoinColumn`, then
  `PropertyPropertyIntrospector#updatePropertyTypes` (`@Property(required)`, `@PropertyRange`,
  `#ensureMinMaxDefaults`); `javaPrimitive` and `javaFieldInitialised` (a field declared with a
  non-null initializer), which decide whether a missing key leaves the value null.
Also listed per type: `setterOnly`, the `@JsonProperty` names of one-argument methods that are
no schema property but that Jackson still reads on import.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from schema_registry import Source, _call_args, _imports, _resolve, reaches, write_tags

OUT = Path(__file__).resolve().parent.parent / "sandbox" / "data" / "schema_properties"
REGISTRY = Path(__file__).resolve().parent.parent / "sandbox" / "data" / "schema_registry"
IDENTIFIABLE = "org.hisp.dhis.common.IdentifiableObject"
EMBEDDED = "org.hisp.dhis.common.EmbeddedObject"
IDENTIFIABLE_HBM = ("dhis-2/dhis-services/dhis-service-core/src/main/resources/org/hisp/dhis/"
                    "common/identifiableProperties.hbm")

PRIMITIVES = {"int": "Integer", "long": "Long", "boolean": "Boolean", "double": "Double",
              "float": "Float", "short": "Short", "byte": "Byte", "char": "Character",
              "void": "Void"}
WRAPPERS = {f"java.lang.{w}" for w in PRIMITIVES.values()}
JAVA_LANG = {"String", "Object", "Class", "Number", "Enum", "Iterable", "CharSequence",
             *PRIMITIVES.values()}
JAVA_UTIL = {"Set", "List", "Collection", "Map", "Date", "SortedSet", "HashSet", "ArrayList",
             "LinkedHashSet", "TreeSet", "LinkedList", "HashMap", "Optional", "UUID",
             "Locale", "NavigableSet", "Queue", "Deque", "LinkedHashMap", "TreeMap"}
COLLECTIONS = {f"java.util.{n}" for n in ("Set", "List", "Collection", "SortedSet", "HashSet",
                                           "ArrayList", "LinkedHashSet", "TreeSet", "LinkedList",
                                           "NavigableSet", "Queue", "Deque")}
LISTS = {"java.util.List", "java.util.ArrayList", "java.util.LinkedList"}
MODIFIERS = {"public", "private", "protected", "static", "final", "abstract", "default",
             "synchronized", "native", "transient", "volatile", "strictfp", "sealed",
             "non-sealed"}
_TEXT_BLOCK = re.compile(r'"""[\s\S]*?"""')
_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)\'')


# -- Java source reading -------------------------------------------------------------------
def _blank_literals(text: str) -> str:
    """Same length, literals' insides blanked, so braces in strings do not count."""
    text = _TEXT_BLOCK.sub(lambda m: '"' + " " * (len(m.group(0)) - 2) + '"', text)
    return _LITERAL.sub(lambda m: m.group(0)[0] + " " * (len(m.group(0)) - 2) + m.group(0)[-1],
                        text)


def _match_brace(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unbalanced braces")


class Member:
    def __init__(self, kind: str, name: str, type_: str, params: list[str],
                 annotations: dict[str, str], modifiers: set[str], body: bool,
                 initialised: bool = False) -> None:
        self.kind, self.name, self.type, self.params = kind, name, type_, params
        self.annotations, self.modifiers, self.body = annotations, modifiers, body
        # a field declared with an initializer other than `null`
        self.initialised = initialised


class JavaType:
    def __init__(self, fqn: str, path: str, kind: str, annotations: dict[str, str],
                 members: list[Member], type_params: set[str]) -> None:
        self.fqn, self.path, self.kind = fqn, path, kind
        self.annotations, self.members, self.type_params = annotations, members, type_params


def _annotations(head: str) -> tuple[dict[str, str], str]:
    """The annotations in a declaration's text (name -> argument text) and the text without them."""
    found: dict[str, str] = {}
    out, i = [], 0
    while i < len(head):
        match = re.compile(r"@(?!interface\b)([\w.]+)").match(head, i)
        if match and (i == 0 or not (head[i - 1].isalnum() or head[i - 1] == "_")):
            end = match.end()
            rest = re.compile(r"\s*\(").match(head, end)
            args = ""
            if rest:
                args = _call_args(head, rest.end() - 1)
                end = rest.end() + len(args) + 1
            found.setdefault(match.group(1), args)
            out.append(" ")
            i = end
            continue
        out.append(head[i])
        i += 1
    return found, "".join(out)


def _split_top(text: str, sep: str = ",") -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "<([":
            depth += 1
        elif ch in ">)]":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current)
    return [p.strip() for p in parts]


def _declarations(body: str) -> list[tuple[int, int, bool]]:
    """Member-level declarations of a type body (without its braces, literals blanked): the
    span of each one's text before its block or ";", and whether it ends in a block."""
    out: list[tuple[int, int, bool]] = []
    start, parens, i = 0, 0, 0
    while i < len(body):
        ch = body[i]
        if ch == "(":
            parens += 1
        elif ch == ")":
            parens -= 1
        if ch == "{" and parens == 0:
            end = _match_brace(body, i)
            current = body[start:i]
            # a field initialised with an array literal or anonymous class runs to its ";"
            if re.search(r"=\s*$", current) or re.search(r"=\s*new\b[^;]*$", current):
                i = end + 1
                continue
            out.append((start, i, True))
            start = i = end + 1
            continue
        if ch == ";" and parens == 0:
            out.append((start, i, False))
            start = i + 1
        i += 1
    return [(a, b, block) for a, b, block in out if body[a:b].strip()]


def _parse_member(text: str, block: bool) -> Member | None:
    annotations, rest = _annotations(text)
    rest = rest.strip()
    words = rest.split()
    if not words or re.search(r"\b(class|interface|enum|record)\b", rest.split("(")[0]) \
            or rest.startswith("@interface"):
        return None
    modifiers: set[str] = set()
    while words and words[0] in MODIFIERS:
        modifiers.add(words.pop(0))
    rest = " ".join(words)
    if rest.startswith("<"):  # a generic method's type parameters
        depth = 0
        for j, ch in enumerate(rest):
            depth += ch == "<"
            depth -= ch == ">"
            if depth == 0:
                rest = rest[j + 1:].strip()
                break
    paren = rest.find("(")
    equals = rest.find("=")
    if paren != -1 and (equals == -1 or paren < equals):
        head = rest[:paren].strip()
        match = re.search(r"([\w$]+)$", head)
        if not match or not head[:match.start()].strip():
            return None  # a constructor or an initializer
        params_text = _call_args(rest, paren)
        params = []
        for p in _split_top(params_text):
            p = re.sub(r"\bfinal\s+", "", p).strip()
            pm = re.match(r"(.+?)\s*(\.\.\.)?\s*[\w$]+$", p)
            if pm:
                params.append(pm.group(1).strip() + ("[]" if pm.group(2) else ""))
        return Member("method", match.group(1), head[:match.start()].strip(), params,
                      annotations, modifiers, block or "default" in modifiers)
    decl = rest[:equals] if equals != -1 else rest
    match = re.search(r"([\w$]+)\s*((?:\[\s*\])*)\s*$", decl.strip())
    if not match or not decl.strip()[:match.start()].strip():
        return None
    initialiser = rest[equals + 1:].strip() if equals != -1 else ""
    return Member("field", match.group(1), decl.strip()[:match.start()].strip() + match.group(2),
                  [], annotations, modifiers, False, initialiser not in ("", "null"))


@cache
def _java_type(src: Source, fqn: str) -> JavaType | None:
    path = src.by_fqn.get(fqn)
    outer = fqn
    while path is None and "." in outer:
        outer = outer.rsplit(".", 1)[0]
        path = src.by_fqn.get(outer)
    if path is None:
        return None
    text = _blank_literals(src.read(path))
    raw = src.read(path)
    simple = fqn.rsplit(".", 1)[1]
    for match in re.finditer(
            rf"\b(class|interface|enum|record)\s+{re.escape(simple)}\b", text):
        start = text.find("{", match.end())
        if start == -1:
            continue
        # the annotations right before the declaration
        before = text[:match.start()]
        statements = list(re.finditer(r"^\s*(?:package|import)\b[^;]*;", before, re.M))
        if path == src.by_fqn.get(fqn) and statements:
            cut = statements[-1].end() - 1  # annotation arguments may hold braces
        else:
            cut = max(before.rfind(";"), before.rfind("}"), before.rfind("{"))
        annotations, _ = _annotations(raw[cut + 1:match.start()])
        end = _match_brace(text, start)
        header = text[match.end():start]
        type_params: set[str] = set()
        generic = re.match(r"\s*<", header)
        if generic:
            inner = _call_args(header.replace("<", "(").replace(">", ")"), generic.end() - 1)
            type_params = {re.split(r"\s", p.strip())[0] for p in _split_top(inner)}
        body_blank = text[start + 1:end]
        body_raw = raw[start + 1:end]
        members = []
        if match.group(1) == "enum":
            semi = body_blank.find(";")
            if semi == -1:
                return JavaType(fqn, path, "enum", annotations, [], set())
            body_blank, body_raw = body_blank[semi + 1:], body_raw[semi + 1:]
        for first, last, block in _declarations(body_blank):
            member = _parse_member(body_raw[first:last], block)
            if member is not None:
                members.append(member)
        return JavaType(fqn, path, match.group(1), annotations, members, type_params)
    return None


def _type_fqn(src: Source, name: str, context: JavaType) -> str:
    """The erased fully qualified class a source type expression means."""
    name = re.sub(r"<.*", "", name).strip()
    if name.endswith("[]"):
        return name  # arrays: COMPLEX, never a collection
    if name in PRIMITIVES:
        return name  # wrapped for klass, kept for the setter's parameter match
    if name in context.type_params or re.fullmatch(r"[A-Z]", name):
        return "java.lang.Object"
    if name.startswith("java."):
        return name
    # a nested type of the context class
    declared = re.search(rf"\b(class|interface|enum|record)\s+{re.escape(name)}\b",
                         src.read(context.path))
    if "." not in name and name != context.fqn.rsplit(".", 1)[1] and declared and \
            context.path == src.by_fqn.get(context.fqn):
        return f"{context.fqn}.{name}"
    resolved = _resolve(src, name, context.path)
    if resolved:
        return resolved
    if name in JAVA_LANG:
        return f"java.lang.{name}"
    _, names, wildcards, _ = _imports(src.read(context.path))
    if name in JAVA_UTIL and ("java.util" in wildcards or not names.get(name)):
        return f"java.util.{name}"
    return name


def _generic_args(type_: str) -> list[str]:
    start = type_.find("<")
    if start == -1:
        return []
    inner = _call_args(type_.replace("<", "(").replace(">", ")"), start)
    return _split_top(inner)


@cache
def _supers(src: Source, fqn: str) -> tuple[str | None, tuple[str, ...]]:
    """(superclass, interfaces) of a type, resolved in its own file."""
    jt = _java_type(src, fqn)
    if jt is None:
        return None, ()
    text = _blank_literals(src.read(jt.path))
    simple = fqn.rsplit(".", 1)[1]
    match = re.search(rf"\b(?:class|interface|enum|record)\s+{re.escape(simple)}\b([^{{]*)\{{", text)
    if not match:
        return None, ()
    header = match.group(1)
    while re.search(r"<[^<>]*>", header):
        header = re.sub(r"<[^<>]*>", "", header)
    header = re.sub(r"\([^)]*\)", "", header)
    header = re.sub(r"\bpermits\b.*", "", header)
    ext = re.search(r"\bextends\s+([\w.,\s]+?)(?=\bimplements\b|$)", header)
    imp = re.search(r"\bimplements\s+([\w.,\s]+)$", header)
    names_ext = [n.strip() for n in ext.group(1).split(",")] if ext else []
    names_imp = [n.strip() for n in imp.group(1).split(",")] if imp else []

    def res(n: str) -> str | None:
        return _resolve(src, n, jt.path) if n else None
    if jt.kind == "interface":
        return None, tuple(r for r in map(res, names_ext) if r)
    superclass = res(names_ext[0]) if names_ext else None
    return superclass, tuple(r for r in map(res, names_imp) if r)


def _all_interfaces(src: Source, fqn: str) -> list[str]:
    out: list[str] = []
    todo = list(_supers(src, fqn)[1])
    while todo:
        current = todo.pop(0)
        if current in out:
            continue
        out.append(current)
        todo.extend(_supers(src, current)[1])
    return out


def _class_chain(src: Source, fqn: str) -> list[str]:
    out = []
    current: str | None = fqn
    while current and current not in out:
        out.append(current)
        current = _supers(src, current)[0]
    return out


@cache
def assignable(src: Source, fqn: str, to: str) -> bool:
    def parents(current: str) -> list[str]:
        sup, ifaces = _supers(src, current)
        return [*([sup] if sup else []), *ifaces]
    return reaches(fqn, to, parents)


def is_enum(src: Source, fqn: str) -> bool:
    jt = _java_type(src, fqn)
    return jt is not None and jt.kind == "enum"


# -- Lombok --------------------------------------------------------------------------------
def _lombok_methods(jt: JavaType) -> list[Member]:
    """The getters and setters Lombok generates (they carry no annotation of the field)."""
    out = []
    cls = jt.annotations
    for f in jt.members:
        if f.kind != "field" or "static" in f.modifiers:
            continue
        getter = ("Getter" in f.annotations or "Getter" in cls or "Data" in cls
                  or "Value" in cls) and "AccessLevel.NONE" not in f.annotations.get("Getter", "")
        setter = ("Setter" in f.annotations or "Setter" in cls or "Data" in cls) and \
            "final" not in f.modifiers and "AccessLevel.NONE" not in f.annotations.get("Setter", "")
        cap = f.name[:1].upper() + f.name[1:]
        if getter:
            name = f"get{cap}"
            if f.type == "boolean":
                name = f.name if re.match(r"is[A-Z]", f.name) else f"is{cap}"
            out.append(Member("method", name, f.type, [], {}, {"public"}, True))
        if setter:
            base = f.name[2:] if f.type == "boolean" and re.match(r"is[A-Z]", f.name) else cap
            out.append(Member("method", f"set{base}", "void", [f.type], {}, {"public"}, True))
    return out


def _methods(src: Source, fqn: str) -> list[Member]:
    jt = _java_type(src, fqn)
    if jt is None:
        return []
    declared = [m for m in jt.members if m.kind == "method"]
    names = {(m.name, len(m.params)) for m in declared}
    return declared + [m for m in _lombok_methods(jt) if (m.name, len(m.params)) not in names]


# -- Jackson -------------------------------------------------------------------------------
def _json_name(src: Source, args: str, jt: JavaType) -> str | None:
    """The value of @JsonProperty(...): a literal or a String constant; None when empty."""
    args = args.strip()
    if not args:
        return None
    for part in _split_top(args):
        key, _, value = part.partition("=")
        if value and key.strip() != "value":
            continue
        value = (value or key).strip()
        literal = re.fullmatch(r'"((?:[^"\\]|\\.)*)"', value)
        if literal:
            return literal.group(1) or None
        name = value.rsplit(".", 1)[-1]
        for owner in [jt.fqn, *( [_type_fqn(src, value.rsplit(".", 1)[0], jt)] if "." in value else [])]:
            found = re.search(rf"\b{re.escape(name)}\s*=\s*\"((?:[^\"\\]|\\.)*)\"",
                              src.read(_java_type(src, owner).path)) if _java_type(src, owner) else None
            if found:
                return found.group(1)
        raise ValueError(f"{jt.fqn}: cannot read @JsonProperty({args})")
    return None


def field_name_of(method: str) -> str:
    """ReflectionUtils#getFieldName."""
    if method.startswith("is"):
        rest = method[2:]
    elif method.startswith(("has", "get")):
        rest = method[3:]
    else:
        rest = method
    return rest[:1].lower() + rest[1:]


def _find_json_annotation(src: Source, declaring: str, name: str) -> tuple[Member, JavaType] | None:
    """Spring findAnnotation(method, JsonProperty): the method, its class's interfaces, then each
    superclass and its interfaces."""
    for cls in _class_chain(src, declaring):
        for holder in [cls, *_all_interfaces(src, cls)]:
            jt = _java_type(src, holder)
            if jt is None:
                continue
            for m in jt.members:
                if m.kind == "method" and m.name == name and not m.params and \
                        "JsonProperty" in m.annotations:
                    return m, jt
    return None


class Introspected:
    def __init__(self, src: Source, fqn: str, hibernate: dict[str, dict[str, Any]],
                 roles: dict[str, str]) -> None:
        self.src, self.fqn = src, fqn
        self.hibernate, self.roles = hibernate, roles

    def properties(self) -> tuple[dict[str, dict[str, Any]], list[str]]:
        src, fqn = self.src, self.fqn
        chain = _class_chain(src, fqn)
        props: dict[str, dict[str, Any]] = {}
        # fields first (JacksonPropertyIntrospector#collectProperties)
        for cls in chain:
            jt = _java_type(src, cls)
            if jt is None:
                continue
            for f in jt.members:
                if f.kind != "field" or "JsonProperty" not in f.annotations:
                    continue
                name = _json_name(src, f.annotations["JsonProperty"], jt) or f.name
                if name in props:
                    continue
                getter = self._getter_for_field(f.name)
                props[name] = self._property(name, f.name, getter, f, jt)
        # then zero-argument methods, leaf-most declaration each
        leaf: dict[str, tuple[Member, str]] = {}
        for cls in chain:
            for m in _methods(src, cls):
                if m.kind == "method" and not m.params and "static" not in m.modifiers \
                        and m.name not in leaf:
                    leaf[m.name] = (m, cls)
        for cls in chain:
            for iface in _all_interfaces(src, cls):
                for m in _methods(src, iface):
                    if not m.params and m.body and "static" not in m.modifiers \
                            and m.name not in leaf:
                        leaf[m.name] = (m, iface)
        # abstract declarations implemented where the sources cannot show it (records,
        # generated code) are not properties; an interface method with @JsonProperty is,
        # when some class of the chain implements it
        for method_name, (m, declaring) in sorted(leaf.items()):
            found = _find_json_annotation(src, declaring, method_name)
            if found is None:
                continue
            annotated, holder = found
            name = _json_name(src, annotated.annotations["JsonProperty"], holder) or \
                field_name_of(method_name)
            if name in props:
                continue
            jt = _java_type(src, declaring)
            assert jt is not None
            props[name] = self._property(name, field_name_of(method_name), (m, jt), None, jt)
        setter_only = set()
        for cls in [*chain, *{i for c in chain for i in _all_interfaces(src, c)}]:
            jt = _java_type(src, cls)
            for m in jt.members if jt else []:
                if m.kind == "method" and len(m.params) == 1 and "JsonProperty" in m.annotations:
                    name = _json_name(src, m.annotations["JsonProperty"], jt) or \
                        field_name_of(m.name[3:] if m.name.startswith("set") else m.name)
                    if name not in props:
                        setter_only.add(name)
        return props, sorted(setter_only)

    def _getter_for_field(self, field: str) -> tuple[Member, JavaType] | None:
        """ReflectionUtils#findGetterMethod: get/is/has + the field name, in the class chain."""
        cap = field[:1].upper() + field[1:]
        for prefix in ("get", "is", "has"):
            for cls in _class_chain(self.src, self.fqn):
                jt = _java_type(self.src, cls)
                for m in _methods(self.src, cls):
                    if m.name == prefix + cap and not m.params and jt is not None:
                        return m, jt
        return None

    def _initialised(self, field: str) -> bool:
        """The field the property reads is declared with a non-null initializer (so a payload
        without the key leaves it set)."""
        for cls in _class_chain(self.src, self.fqn):
            jt = _java_type(self.src, cls)
            for m in jt.members if jt else []:
                if m.kind == "field" and m.name == field and "static" not in m.modifiers:
                    return m.initialised
        return False

    def _setter(self, field: str, type_fqn: str) -> bool:
        """ReflectionUtils#findSetterMethod(fieldName, type, returnType)."""
        names = ["set" + field[:1].upper() + field[1:]]
        if re.match(r"(?:is|has|get)[A-Z]", field):
            names.append("set" + field[2 if field.startswith("is") else 3:])
        for cls in _class_chain(self.src, self.fqn):
            jt = _java_type(self.src, cls)
            if jt is None:
                continue
            for m in _methods(self.src, cls):
                if m.name in names and len(m.params) == 1 and \
                        _raw(self.src, m.params[0], jt) == type_fqn:
                    return True
        return False

    def _property(self, name: str, field: str, getter: tuple[Member, JavaType] | None,
                  f: Member | None, declaring: JavaType) -> dict[str, Any]:
        src = self.src
        if getter is not None:
            member, holder = getter
        else:
            assert f is not None
            member, holder = f, declaring
        raw = _raw(src, member.type, holder)
        klass = _wrap(raw)
        prop: dict[str, Any] = {"fieldName": field, "klass": klass}
        annotations = dict(member.annotations)
        if f is not None:
            annotations = dict(f.annotations)
        persisted = self.hibernate.get(field)
        writable = getter is not None and self._setter(field, raw)
        prop["persisted"] = persisted is not None
        prop["owner"] = False
        if persisted is not None:
            writable = True
            prop["owner"] = not persisted["inverse"]
        collection = getter is not None and klass in COLLECTIONS
        prop["collection"] = collection
        if collection:
            prop["ordered"] = klass in LISTS
            args = _generic_args(member.type)
            item = args[0] if args else "java.lang.Object"
            while _generic_args(item):
                item = _generic_args(item)[0]
            item = re.sub(r"^\?\s*(extends|super)\s+", "", item)
            prop["itemKlass"] = _wrap(_raw(src, item, holder))
            prop["identifiableObject"] = assignable(src, prop["itemKlass"], IDENTIFIABLE)
            prop["embeddedObject"] = assignable(src, prop["itemKlass"], EMBEDDED)
        schema_name = _xml_local_name(annotations.get("JacksonXmlProperty", ""))
        if schema_name and schema_name != name:
            prop["schemaName"] = schema_name  # Property#name, what /api/schemas shows
        wrapper = _xml_local_name(annotations.get("JacksonXmlElementWrapper", ""))
        if collection:
            prop["collectionName"] = wrapper or schema_name or name
        prop["propertyType"] = _property_type(src, klass)
        if collection:
            prop["itemPropertyType"] = _property_type(src, prop["itemKlass"])
        if persisted is not None:
            prop["manyToMany"] = persisted["manyToMany"]
            role = f"{persisted['entity']}.{field}"
            other = self.roles.get(role)
            if persisted["collection"]:
                prop["owningRole"] = role if prop["owner"] else other
                prop["inverseRole"] = other if prop["owner"] else role
        annotation = annotations.get("Property")
        # PropertyPropertyIntrospector#updatePropertyTypes reads the annotations of a property
        # writable before them
        annotated_writable = writable
        if writable and annotation is not None:
            for key in ("persisted", "owner"):
                value = re.search(rf"\b{key}\s*=\s*(?:\w+\.)?(TRUE|FALSE)\b", annotation)
                if value:
                    prop[key] = value.group(1) == "TRUE"
            kind = re.search(r"(?:^|value\s*=\s*)(?:PropertyType\.)?([A-Z_]+)\s*(?:,|$)",
                             annotation.strip())
            if kind and kind.group(1) not in ("DEFAULT", "TRUE", "FALSE"):
                prop["propertyType"] = kind.group(1)
            if re.search(r"\bREAD_ONLY\b", annotation):
                writable = False
            persisted_as = re.search(r'\bpersistedAs\s*=\s*"([^"]+)"', annotation)
            if persisted_as:
                prop["fieldName"] = persisted_as.group(1)
        prop["writable"] = writable
        prop["javaPrimitive"] = raw in PRIMITIVES
        prop["javaFieldInitialised"] = self._initialised(field)
        prop.update(_constraints(prop, persisted, annotations, annotated_writable,
                                 src.read((declaring if f is not None else holder).path)))
        prop["simple"] = (not collection and (klass in WRAPPERS or klass == "java.lang.String"
                                             or klass == "java.util.Date"
                                             or is_enum(src, klass))) or \
            (collection and (prop["itemKlass"] in WRAPPERS or prop["itemKlass"] in
                             ("java.lang.String", "java.util.Date")
                             or is_enum(src, prop["itemKlass"])))
        return prop


INT_MAX, INT_MIN, DOUBLE_MAX = 2**31 - 1, -(2**31), 1.7976931348623157e308
_RANGE_CONSTANTS = {"Integer.MAX_VALUE": INT_MAX, "Integer.MIN_VALUE": INT_MIN,
                    "Double.MAX_VALUE": DOUBLE_MAX, "MAX_VALUE": DOUBLE_MAX,
                    "Long.MAX_VALUE": float(2**63 - 1), "Long.MIN_VALUE": float(-(2**63))}
_TEXT_TYPES = {"text", "org.hibernate.type.TextType"}
_NUMBER_TYPES = {  # Hibernate type -> (min, max) HibernatePropertyIntrospector gives it
    "integer": (INT_MIN, INT_MAX), "int": (INT_MIN, INT_MAX),
    "java.lang.Integer": (INT_MIN, INT_MAX),
    "long": (float(-(2**63)), float(2**63 - 1)), "java.lang.Long": (float(-(2**63)), float(2**63 - 1)),
    "double": (-DOUBLE_MAX, DOUBLE_MAX), "java.lang.Double": (-DOUBLE_MAX, DOUBLE_MAX),
}
_IGNORE_MIN_MAX = {"REFERENCE", "BOOLEAN", "DATE", "CONSTANT"}


def _range_value(text: str, source: str) -> float:
    """An @PropertyRange bound: a literal, a JDK constant, or a constant of the declaring
    class (a literal or a product of literals)."""
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    text = text.lstrip("-").strip()
    value = _RANGE_CONSTANTS.get(text)
    if value is not None:
        return sign * value
    if re.fullmatch(r"[A-Z_][A-Z0-9_]*", text):
        declared = re.search(rf"\b{text}\s*=\s*([0-9\s*]+);", source)
        if declared is None:
            raise ValueError(f"cannot read @PropertyRange bound {text}")
        product = 1.0
        for factor in declared.group(1).split("*"):
            product *= float(factor)
        return sign * product
    return sign * float(text.rstrip("dDfFlL"))


def _constraints(prop: dict[str, Any], persisted: dict[str, Any] | None,
                 annotations: dict[str, str], writable: bool, source: str) -> dict[str, Any]:
    """required, unique, length, min and max of a property:
    `HibernatePropertyIntrospector#createProperty` (a single-column property: required when
    the column is not null, unique when it is, length the column's, min 0 and max the length,
    text, integer, long and double types their own bounds; a collection min 0, max
    Double.MAX_VALUE), copied by `JacksonPropertyIntrospector#initFromPersistedProperty`, then
    `PropertyPropertyIntrospector#updatePropertyTypes` for a writable property (`@Property
    (required = …)`, `@PropertyRange`, `#ensureMinMaxDefaults`), min and max dropped for
    one that is not. Only the keys that are set (the nulls /api/schemas leaves out)."""
    required, unique = False, False
    length: int | None = None
    low: float | None = None
    high: float | None = None
    column = persisted.get("column") if persisted else None
    if persisted is not None and persisted["collection"]:
        low, high = 0, DOUBLE_MAX
    elif column is not None:
        required, unique = column["notNull"], column["unique"]
        length = column["length"]
        low, high = 0, length
        kind = column["type"]
        if kind is None:  # Hibernate reads the type of the Java property
            kind = {"java.lang.Integer": "integer", "java.lang.Long": "long",
                    "java.lang.Double": "double"}.get(prop["klass"])
        if kind in _TEXT_TYPES:
            low, high, length = 0, INT_MAX, INT_MAX
        elif kind in _NUMBER_TYPES:
            (low, high), length = _NUMBER_TYPES[kind], INT_MAX
    if writable:
        annotation = annotations.get("Property")
        if annotation is not None:
            value = re.search(r"\brequired\s*=\s*(?:[\w.]+\.)?(TRUE|FALSE)\b", annotation)
            if value:
                required = value.group(1) == "TRUE"
        kind = prop["propertyType"]
        bounds = annotations.get("PropertyRange")
        if bounds is not None:
            found_max = re.search(r"\bmax\s*=\s*([^,]+)", bounds)
            found_min = re.search(r"\bmin\s*=\s*([^,]+)", bounds)
            range_max = _range_value(found_max.group(1), source) if found_max else DOUBLE_MAX
            range_min = _range_value(found_min.group(1), source) if found_min else 0
            if range_max > INT_MAX and kind in ("INTEGER", "TEXT", "COLLECTION"):
                range_max = INT_MAX
            if kind == "COLLECTION" and range_min < 0:
                range_min = 0
            if high is None or range_max < high or kind == "COLLECTION":
                high = range_max
            low = range_min
        if low is None:
            low = 0
        if high is None:
            high = INT_MAX if kind in ("INTEGER", "TEXT") else DOUBLE_MAX
        if not prop["collection"] and kind in _IGNORE_MIN_MAX:
            low = high = None
    else:
        low = high = None
    out: dict[str, Any] = {"required": required, "unique": unique}
    for key, number in (("length", length), ("min", low), ("max", high)):
        if number is not None:
            out[key] = int(number) if float(number).is_integer() and abs(number) < 2**53 else number
    return out


def _xml_local_name(args: str) -> str | None:
    found = re.search(r'localName\s*=\s*"([^"]*)"', args)
    return found.group(1) if found and found.group(1) else None


def _raw(src: Source, type_: str, holder: JavaType) -> str:
    return _type_fqn(src, type_.strip(), holder)


def _wrap(fqn: str) -> str:
    """Guava Primitives#wrap."""
    return f"java.lang.{PRIMITIVES[fqn]}" if fqn in PRIMITIVES else fqn


def _property_type(src: Source, klass: str) -> str:
    """PropertyPropertyIntrospector#getPropertyType."""
    if klass in ("java.lang.String", "java.lang.Character", "java.lang.Byte", "java.lang.Class"):
        return "TEXT"
    if klass == "java.lang.Integer":
        return "INTEGER"
    if klass == "java.lang.Boolean":
        return "BOOLEAN"
    if klass in ("java.lang.Float", "java.lang.Double"):
        return "NUMBER"
    if klass in ("java.util.Date", "java.sql.Date", "java.sql.Timestamp"):
        return "DATE"
    if is_enum(src, klass):
        return "CONSTANT"
    if assignable(src, klass, IDENTIFIABLE):
        return "REFERENCE"
    if klass in COLLECTIONS:
        return "COLLECTION"
    return "TEXT" if klass in WRAPPERS else "COMPLEX"


# -- Hibernate -----------------------------------------------------------------------------
_COLLECTION_TAGS = {"set", "list", "bag", "map", "idbag", "array", "primitive-array"}


def hbm_roots(src: Source, listing: list[str]) -> Iterator[ET.Element]:
    """The root element of each main `*.hbm.xml` of the tag, with the identifiable properties
    entity expanded (the mappings of the tag's own sources, not untrusted input)."""
    identifiable = src.read(IDENTIFIABLE_HBM)
    for path in listing:
        if not (path.endswith(".hbm.xml") and "/src/main/resources/" in path):
            continue
        text = subprocess.run(["git", "-C", src.repo, "show", f"{src.tag}:{path}"], check=True,
                              capture_output=True, text=True).stdout
        text = re.sub(r"<!DOCTYPE.*?(\[.*?\])?\s*>", "", text, flags=re.S)
        text = text.replace("&identifiableProperties;", identifiable)
        yield ET.fromstring(text)  # noqa: S314


# the elements whose Hibernate type is a SingleColumnType, CustomType or ManyToOneType, the
# ones HibernatePropertyIntrospector#createProperty reads a column of
_COLUMN_TAGS = {"property", "many-to-one"}
_DEFAULT_LENGTH = 255  # org.hibernate.mapping.Column.DEFAULT_LENGTH


def _hbm_column(element: ET.Element) -> dict[str, Any]:
    """The first column of a mapped property (what `getColumnIterator().next()` gives): its
    nullability, uniqueness and length, a nested `<column>` overriding the element's own
    attributes; and the Hibernate type the element names (attribute or `<type name=>`)."""
    column = element.find("column")

    def attribute(key: str) -> str | None:
        value = column.get(key) if column is not None else None
        return value if value is not None else element.get(key)
    typed = element.find("type")
    length = attribute("length")
    return {"notNull": attribute("not-null") == "true", "unique": attribute("unique") == "true",
            "length": int(length) if length else _DEFAULT_LENGTH,
            "type": element.get("type") or (typed.get("name") if typed is not None else None)}


def hbm_mappings(src: Source, listing: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """class -> Hibernate property name -> {collection, inverse, manyToMany, table, entity}."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for root in hbm_roots(src, listing):
        package = root.get("package")

        def walk(element: ET.Element, inherited: dict[str, dict[str, Any]],
                 package: str | None = package) -> None:
            name = element.get("name") or ""
            if package and "." not in name:
                name = f"{package}.{name}"
            props = dict(inherited)
            for child in _flatten(element):
                tag = child.tag
                if tag in ("subclass", "joined-subclass", "union-subclass"):
                    continue
                prop_name = child.get("name")
                if not prop_name or tag in ("id", "composite-id", "discriminator", "version"):
                    continue
                collection = tag in _COLLECTION_TAGS
                props[prop_name] = {
                    "collection": collection,
                    "inverse": collection and child.get("inverse") == "true",
                    "manyToMany": collection and child.find("many-to-many") is not None,
                    "table": child.get("table"), "entity": name,
                    "column": _hbm_column(child) if tag in _COLUMN_TAGS else None,
                }
            out[name] = props
            for child in element:
                if child.tag in ("subclass", "joined-subclass", "union-subclass"):
                    walk(child, props, package)
        for cls in root.findall("class"):
            walk(cls, {})
    return out


def _flatten(element: ET.Element) -> list[ET.Element]:
    """Mapped properties, through the groupings that hold them (natural-id, join, properties)."""
    out = []
    for child in element:
        if child.tag in ("natural-id", "join", "properties"):
            out.extend(_flatten(child))
        else:
            out.append(child)
    return out


def jpa_mapping(src: Source, fqn: str) -> dict[str, dict[str, Any]] | None:
    """A JPA-annotated @Entity: the persistent fields of it and of its @MappedSuperclasses."""
    jt = _java_type(src, fqn)
    if jt is None or "Entity" not in jt.annotations:
        return None
    out: dict[str, dict[str, Any]] = {}
    for cls in _class_chain(src, fqn):
        current = _java_type(src, cls)
        if current is None or (cls != fqn and "MappedSuperclass" not in current.annotations):
            continue
        for f in current.members:
            if f.kind != "field" or f.modifiers & {"static", "transient"} or \
                    "Transient" in f.annotations or "Id" in f.annotations or f.name in out:
                continue
            many = f.annotations.get("ManyToMany")
            one = f.annotations.get("OneToMany")
            collection = many is not None or one is not None or \
                "ElementCollection" in f.annotations
            join = re.search(r'name\s*=\s*"([^"]+)"', f.annotations.get("JoinTable", ""))
            mapped_by = re.search(r'\bmappedBy\s*=\s*"([^"]+)"', (many or "") + (one or ""))
            args = _generic_args(f.type)
            column = None if collection else _jpa_column(src, f, current)
            out[f.name] = {
                "collection": collection,
                "inverse": mapped_by is not None,
                # a @OneToMany through a @JoinTable is a many-to-many collection persister
                "manyToMany": many is not None or (collection and join is not None),
                "table": join.group(1) if join else None, "entity": fqn,
                # the inverse side of a many-to-many shares the owner's join table
                "mappedBy": (_type_fqn(src, args[0], current), mapped_by.group(1))
                if mapped_by and args else None,
                "column": column,
            }
    return out


def _annotation_flag(args: str, key: str) -> bool | None:
    found = re.search(rf"\b{key}\s*=\s*(true|false)\b", args)
    return None if found is None else found.group(1) == "true"


def _jpa_column(src: Source, f: Member, holder: JavaType) -> dict[str, Any] | None:
    """The column of a JPA-mapped single-valued field, as Hibernate 5's annotation binder makes
    it: `@Column` (basic) or `@JoinColumn` (`@ManyToOne`) nullable/unique/length (defaults
    true, false, 255), a primitive field's column not null (`Ejb3Column
    #buildColumnFromAnnotation`), `@ManyToOne(optional = false)` not null; none for an
    embedded value or a one-to-one (no SingleColumnType, CustomType or ManyToOneType)."""
    if "Embedded" in f.annotations or "OneToOne" in f.annotations or "EmbeddedId" in f.annotations:
        return None
    embeddable = _java_type(src, _type_fqn(src, f.type, holder))
    if embeddable is not None and "Embeddable" in embeddable.annotations:
        return None
    many_to_one = f.annotations.get("ManyToOne")
    args = f.annotations.get("JoinColumn" if many_to_one is not None else "Column", "")
    nullable = _annotation_flag(args, "nullable")
    not_null = nullable is False or (many_to_one is None and f.type in PRIMITIVES) or \
        _annotation_flag(many_to_one or "", "optional") is False
    length = re.search(r"\blength\s*=\s*(\d+)", args) if many_to_one is None else None
    typed = re.search(r'\btype\s*=\s*"([^"]+)"', f.annotations.get("Type", ""))
    return {"notNull": not_null, "unique": bool(_annotation_flag(args, "unique")),
            "length": int(length.group(1)) if length else _DEFAULT_LENGTH,
            "type": typed.group(1) if typed else None}


def join_table_roles(mappings: dict[str, dict[str, dict[str, Any]]]) -> dict[str, str]:
    """HibernatePropertyIntrospector#updateJoinTables: the two many-to-many roles of a join table."""
    by_table: dict[str, list[str]] = {}
    for klass, props in mappings.items():
        for name, p in props.items():
            if p["collection"] and p["manyToMany"] and p["entity"] == klass:
                table = p["table"] or ""
                by_table.setdefault(table.lower(), []).append(f"{klass}.{name}")
    roles: dict[str, str] = {}
    for table, found in by_table.items():
        if len(found) >= 2 and table:
            # owner side first: the inverse side names the owner's role
            found.sort(key=lambda r: (mappings[r.rsplit(".", 1)[0]][r.rsplit(".", 1)[1]]["inverse"], r))
            roles[found[0]], roles[found[1]] = found[1], found[0]
    return roles


def tag_properties(src: Source, types: dict[str, Any]) -> dict[str, Any]:
    listing = subprocess.run(["git", "-C", src.repo, "ls-tree", "-r", "--name-only", src.tag],
                             check=True, capture_output=True, text=True).stdout.split()
    mappings = hbm_mappings(src, listing)
    for info in types.values():
        jpa = jpa_mapping(src, info["klass"])
        if jpa is not None:
            mappings[info["klass"]] = jpa
    # JPA-mapped classes outside the registry can still share join tables
    entities = subprocess.run(["git", "-C", src.repo, "grep", "-l", "^@Entity", src.tag, "--",
                               "*/src/main/java/*.java"],
                              capture_output=True, text=True).stdout.split()
    for found in entities:
        fqn = re.sub(r".*/src/main/java/|\.java$", "", found.partition(":")[2]).replace("/", ".")
        if fqn not in mappings:
            jpa = jpa_mapping(src, fqn)
            if jpa is not None:
                mappings[fqn] = jpa
    for props in mappings.values():
        for p in props.values():
            if p.get("mappedBy") and not p["table"]:
                owner = mappings.get(p["mappedBy"][0], {}).get(p["mappedBy"][1])
                p["table"] = owner["table"] if owner else None
    roles = join_table_roles(mappings)
    out: dict[str, Any] = {}
    for singular, info in types.items():
        klass = info["klass"]
        props, setter_only = Introspected(src, klass, mappings.get(klass, {}), roles).properties()
        out[singular] = {"klass": klass, "mapped": klass in mappings,
                         "properties": dict(sorted(props.items())), "setterOnly": setter_only}
    return out


def tag_file(repo: str, tag: str) -> dict[str, Any]:
    src = Source(repo, tag)
    _java_type.cache_clear()
    _supers.cache_clear()
    assignable.cache_clear()
    types = json.loads((REGISTRY / f"{tag}.json").read_text(encoding="utf-8"))["types"]
    return {
        "_about": (
            f"Properties of every type of schema_registry/{tag}.json at dhis2-core tag "
            f"{tag}, as schema/DefaultPropertyIntrospectorService.java derives them "
            "(Hibernate, Jackson and @Property introspection; see "
            "scripts/schema_properties.py). Written by scripts/schema_properties.py."),
        "tag": tag,
        "types": tag_properties(src, types),
    }


def main(argv: list[str]) -> int:
    return write_tags(argv, __doc__ or "", OUT, tag_file, lambda data: f"{len(data['types'])} types")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
