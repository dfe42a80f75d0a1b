"""Write sandbox/data/settings/<tag>.json: every system and user setting key of one dhis2-core tag.

    python scripts/settings_catalog.py --repo /path/to/dhis2-core.git 2.41.9 2.42.5 2.43.1

Reads (with `git show`, no work tree needed):

- 2.41.9 and older: the constants of `dhis-api/.../setting/SettingKey.java` (name, default
  value, class, confidential, translatable, by which constructor they call) and of
  `dhis-api/.../user/UserSettingKey.java` (name, class, own default);
- 2.42 and later: the default methods of `setting/SystemSettings.java` and
  `setting/UserSettings.java` as `LazySettings#extractDefaults` finds them (no parameters, the
  name starting with "get"; the key and default of the `asX(key, default)` call; `@Confidential`,
  `@Translatable`).

Each default is written as DHIS2 writes it in JSON at that tag: through the NON_NULL Jackson
mapper up to 2.41 (`WriteDateStdSerializer`, an enum constant's `@JsonProperty`, a bean's
`@JsonProperty` fields), through `LazySettings#asJson` from 2.42 (`Enum#toString`,
`Locale#toString`, `yyyy-MM-dd'T'HH:mm:ss.SSS`); dates in UTC, the sandbox's time zone. For
2.41 `text` is `String.valueOf` of the default, the text/plain answer of
`SystemSettingController#getSystemSettingOrTranslationAsPlainText`. Keys are listed in
declaration order.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schema_registry import Source, _resolve, write_tags

SETTING = "dhis-2/dhis-api/src/main/java/org/hisp/dhis/setting"
SETTING_KEY = f"{SETTING}/SettingKey.java"
USER_SETTING_KEY = "dhis-2/dhis-api/src/main/java/org/hisp/dhis/user/UserSettingKey.java"
SYSTEM_SETTINGS = f"{SETTING}/SystemSettings.java"
USER_SETTINGS = f"{SETTING}/UserSettings.java"
OUT = Path(__file__).resolve().parent.parent / "sandbox" / "data" / "settings"

# java.util.Locale's constants (not in dhis2-core's sources)
JAVA_LOCALES = {"ENGLISH": "en", "FRENCH": "fr", "GERMAN": "de", "ITALIAN": "it",
                "JAPANESE": "ja", "KOREAN": "ko", "CHINESE": "zh", "US": "en_US", "UK": "en_GB"}
SIMPLE_TYPES = {"String", "Boolean", "Integer", "Long", "Double", "Date", "Locale"}
AS_TYPES = {"asString": "String", "asBoolean": "Boolean", "asInt": "Integer",
            "asDouble": "Double", "asDate": "Date", "asLocale": "Locale", "asEnum": "Enum"}
_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"')


def split_top(text: str, sep: str = ",") -> list[str]:
    """`text` split at `sep` outside brackets and string literals."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            i = _need(_LITERAL.match(text, i)).end() - 1
        elif ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        elif ch == sep and depth == 0:
            out.append(text[start:i].strip())
            start = i + 1
        i += 1
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


class Value:
    """A default value: its kind, the Java value and, for an enum, its class and constant."""

    def __init__(self, kind: str, value: Any, enum: tuple[str, str] | None = None) -> None:
        self.kind, self.value, self.enum = kind, value, enum


class Evaluator:
    def __init__(self, src: Source) -> None:
        self.src = src

    def text_of(self, fqn: str) -> str:
        return self.src.read(self.src.by_fqn[fqn])

    def evaluate(self, expr: str, context: str) -> Value:
        expr = expr.strip()
        if expr == "null":
            return Value("null", None)
        if expr.startswith('"'):
            return Value("String", json.loads(expr))
        if expr in ("true", "Boolean.TRUE"):
            return Value("Boolean", True)
        if expr in ("false", "Boolean.FALSE"):
            return Value("Boolean", False)
        number = re.fullmatch(r"([-+]?[\d_]+(?:\.\d+)?)([dDlL]?)", expr)
        if number:
            digits, suffix = number.group(1).replace("_", ""), number.group(2).upper()
            if "." in digits or suffix == "D":
                return Value("Double", float(digits))
            return Value("Long" if suffix == "L" else "Integer", int(digits))
        if re.fullmatch(r"[\d_\s*+-]+", expr):
            return Value("Integer", _arithmetic(expr.replace("_", "")))
        date = re.fullmatch(r"new Date\(\s*(\d+)L?\s*\)", expr)
        if date:
            return Value("Date", int(date.group(1)))
        bean = re.fullmatch(r"new (\w+)\(\s*\)", expr)
        if bean:
            return Value("Object", self.bean(_need(_resolve(self.src, bean.group(1), context))))
        name = re.fullmatch(r"([\w.]+)\.name\(\)", expr)
        if name:
            return Value("String", name.group(1).rsplit(".", 1)[1])
        call = re.fullmatch(r"(\w+)\.(\w+)\(\)", expr)
        if call:
            fqn = _need(_resolve(self.src, call.group(1), context))
            body = re.search(rf"static\s+[\w.<>]+\s+{call.group(2)}\s*\(\s*\)\s*\{{\s*return\s+([^;]+);",
                             self.text_of(fqn))
            return self.evaluate(_need(body).group(1), self.src.by_fqn[fqn])
        field = re.fullmatch(r"([\w.]+)\.(\w+)", expr)
        if field:
            return self.constant(field.group(1), field.group(2), context)
        if re.fullmatch(r"[A-Z_][A-Z0-9_]*", expr):  # a constant of the class being read
            return self.constant(_need(re.search(r"/java/(.+)\.java$", context)).group(1).replace("/", "."),
                                 expr, context)
        raise ValueError(f"cannot evaluate {expr!r} in {context}")

    def constant(self, owner: str, name: str, context: str) -> Value:
        fqn = _resolve(self.src, owner, context)
        if fqn is None or fqn.startswith("java.util.Locale") or fqn not in self.src.by_fqn:
            if owner.endswith("Locale") and name in JAVA_LOCALES:
                return Value("Locale", JAVA_LOCALES[name])
            raise ValueError(f"cannot resolve {owner}.{name} in {context}")
        text = self.text_of(fqn)
        if re.search(rf"\benum\s+{re.escape(fqn.rsplit('.', 1)[1])}\b", text):
            return Value("Enum", name, (fqn, name))
        init = re.search(rf"\b{name}\s*=\s*([^;]+?)\s*[;,]\s*(?:$|\w+\s*=)", text, re.M)
        if init is None:
            init = re.search(rf"\b{name}\s*=\s*([^;]+);", text)
        expr = _need(init).group(1).strip()
        wrapped = re.fullmatch(r"of\(\s*java\.util\.Locale\.(\w+)\s*\)", expr)
        if wrapped:
            return Value("Locale", JAVA_LOCALES[wrapped.group(1)])
        return self.evaluate(expr, self.src.by_fqn[fqn])

    def bean(self, fqn: str) -> dict[str, Any]:
        """A bean as the mapper writes it: its `@JsonProperty` fields (getters are not detected)."""
        out: dict[str, Any] = {}
        for name, init in re.findall(r"@JsonProperty\s+private\s+[\w.<>, ]+?\s(\w+)\s*(?:=\s*([^;]+))?;",
                                     self.text_of(fqn)):
            if re.fullmatch(r"new (ArrayList|HashSet|LinkedHashSet|LinkedList)<\w*>\(\)", init or ""):
                out[name] = []
            elif re.fullmatch(r"new (HashMap|LinkedHashMap|TreeMap)<\w*>\(\)", init or ""):
                out[name] = {}
            elif init:
                raise ValueError(f"cannot write field {name} = {init} of {fqn}")
        return out

    def enum_text(self, fqn: str, constant: str) -> str:
        """`toString()` of an enum constant: its name, or the constructor argument an override returns."""
        text = self.text_of(fqn)
        override = re.search(r"public\s+String\s+toString\s*\(\s*\)\s*\{\s*return\s+(?:this\.)?(\w+)\s*;\s*\}",
                             text)
        if override is None:
            if re.search(r"\bString\s+toString\s*\(", text):
                raise ValueError(f"toString of {fqn} is not a plain field")
            return constant
        field = override.group(1)
        simple = fqn.rsplit(".", 1)[1]
        ctor = _need(re.search(rf"\b{simple}\s*\(([^)]*)\)\s*\{{([^}}]*)\}}", text))
        params = [p.split()[-1] for p in split_top(ctor.group(1))]
        param = _need(re.search(rf"this\.{field}\s*=\s*(\w+)\s*;", ctor.group(2))).group(1)
        args = _need(re.search(rf"\b{constant}\s*\(([^)]*)\)", text)).group(1)
        return str(self.evaluate(split_top(args)[params.index(param)], self.src.by_fqn[fqn]).value)

    def enum_json_name(self, fqn: str, constant: str) -> str:
        """What Jackson writes for an enum constant: its `@JsonProperty` value or its name."""
        text = self.text_of(fqn)
        if "@JsonValue" in text:
            raise ValueError(f"{fqn} has a @JsonValue")
        named = re.search(rf'@JsonProperty\(\s*"([^"]*)"\s*\)\s*{constant}\b', text)
        return named.group(1) if named else constant


def _arithmetic(expr: str) -> int:
    node = ast.parse(expr, mode="eval").body

    def walk(n: ast.AST) -> int:
        if isinstance(n, ast.Constant) and isinstance(n.value, int):
            return n.value
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mult | ast.Add | ast.Sub):
            left, right = walk(n.left), walk(n.right)
            return left * right if isinstance(n.op, ast.Mult) else left + right if isinstance(
                n.op, ast.Add) else left - right
        raise ValueError(f"not an integer expression: {expr}")
    return walk(node)


def _need(value: Any) -> Any:
    if value is None:
        raise ValueError("unexpected source shape")
    return value


def _iso(millis: int) -> str:
    return datetime.fromtimestamp(millis / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}"


def jackson_json(ev: Evaluator, value: Value) -> Any:
    if value.kind == "Date":
        return _iso(value.value)
    if value.kind == "Enum":
        assert value.enum is not None
        return ev.enum_json_name(*value.enum)
    return value.value


def java_text(ev: Evaluator, value: Value, klass: str) -> str | None:
    """`String.valueOf(value)`; None where it is Object#toString (an identity hash)."""
    if value.kind == "null":
        return ""
    if value.kind == "Boolean":
        return "true" if value.value else "false"
    if value.kind == "Date":
        moment = datetime.fromtimestamp(value.value / 1000, UTC)
        return moment.strftime("%a %b %d %H:%M:%S UTC %Y")
    if value.kind == "Enum":
        assert value.enum is not None
        return ev.enum_text(*value.enum)
    if value.kind == "Object":
        return None
    return str(value.value)


def _enum_body(text: str, name: str) -> list[str]:
    start = _need(re.search(rf"\benum\s+{name}\s*\{{", text)).end()
    depth, i = 0, start
    while True:
        ch = text[i]
        if ch == '"':
            i = _need(_LITERAL.match(text, i)).end()
            continue
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        elif ch == ";" and depth == 0:
            break
        i += 1
    return [re.sub(r"^(@\w+(\([^)]*\))?\s*)+", "", c) for c in split_top(text[start:i])]


def _klass(ev: Evaluator, expr: str, context: str) -> str:
    simple = _need(re.fullmatch(r"([\w.]+)\.class", expr.strip())).group(1)
    if simple in SIMPLE_TYPES:
        return simple
    fqn = _resolve(ev.src, simple, context)
    if fqn and fqn in ev.src.by_fqn and re.search(rf"\benum\s+{simple}\b", ev.text_of(fqn)):
        return "Enum"
    return "Object"


def setting_keys(ev: Evaluator) -> list[dict[str, Any]]:
    """SettingKey's constants, by the constructor each calls (2.41.9)."""
    out = []
    for constant in _enum_body(ev.src.read(SETTING_KEY), "SettingKey"):
        args = split_top(_need(re.fullmatch(r"\w+\s*\((.*)\)", constant, re.S)).group(1))
        key = json.loads(args[0])
        default, klass, confidential, translatable = Value("null", None), "String", False, False
        if len(args) == 2 and args[1] in ("true", "false"):
            translatable = args[1] == "true"
        elif len(args) == 2:
            klass = _klass(ev, args[1], SETTING_KEY)
        elif len(args) >= 3:
            default, klass = ev.evaluate(args[1], SETTING_KEY), _klass(ev, args[2], SETTING_KEY)
            if len(args) == 5:
                confidential, translatable = args[3] == "true", args[4] == "true"
        out.append({"key": key, "type": klass if klass != "Object" else "Object",
                    "default": None if default.kind == "null" else jackson_json(ev, default),
                    "text": java_text(ev, default, klass),
                    "confidential": confidential, "translatable": translatable})
    return out


def user_setting_keys(ev: Evaluator) -> list[dict[str, Any]]:
    """UserSettingKey's constants: name, class and the default of the four-argument constructor."""
    out = []
    for constant in _enum_body(ev.src.read(USER_SETTING_KEY), "UserSettingKey"):
        args = split_top(_need(re.fullmatch(r"\w+\s*\((.*)\)", constant, re.S)).group(1))
        default, klass = Value("null", None), "String"
        if len(args) == 3:
            klass = _klass(ev, args[2], USER_SETTING_KEY)
        elif len(args) == 4:
            default, klass = ev.evaluate(args[2], USER_SETTING_KEY), _klass(ev, args[3], USER_SETTING_KEY)
        out.append({"key": json.loads(args[0]), "type": klass,
                    "default": None if default.kind == "null" else jackson_json(ev, default)})
    return out


_GETTER = re.compile(
    r"((?:@\w+(?:\([^)]*\))?\s*)*)default\s+[\w.<>]+\s+(get\w*)\s*\(\s*\)\s*\{(.*?)\n  \}", re.S)


def lazy_settings(ev: Evaluator, path: str) -> list[dict[str, Any]]:
    """The keys LazySettings#extractDefaults records for an interface of default getters (2.42+)."""
    found: dict[str, dict[str, Any]] = {}
    for marks, method, body in _GETTER.findall(ev.src.read(path)):
        call = re.fullmatch(r"\s*return\s+(as\w+)\(\s*(\"[^\"]*\")\s*,\s*(.+?)\s*\)\s*;\s*", body, re.S)
        if call is None:
            if re.search(r"\bas[A-Z]\w*\(", body):
                raise ValueError(f"{path}#{method}: not a single asX(key, default) call")
            continue
        kind = AS_TYPES[call.group(1)]
        value = ev.evaluate(call.group(3), path)
        key = json.loads(call.group(2))
        if kind == "Date":
            rendered: Any = _iso(value.value)
        elif kind == "Enum":
            assert value.enum is not None
            rendered = ev.enum_text(*value.enum)
        elif kind == "Double":
            rendered = float(value.value)
        elif kind == "Integer":
            rendered = int(value.value)
        else:
            rendered = value.value
        entry = found.setdefault(key, {"key": key, "confidential": False, "translatable": False})
        entry.update({"type": kind, "default": rendered})
        entry["confidential"] |= "@Confidential" in marks
        entry["translatable"] |= "@Translatable" in marks
    return [{"key": e["key"], "type": e["type"], "default": e["default"],
             "confidential": e["confidential"], "translatable": e["translatable"]} for e in found.values()]


def catalog(src: Source) -> dict[str, Any]:
    ev = Evaluator(src)
    if SETTING_KEY in src.by_fqn.values():
        about = (f"Settings of dhis2-core tag {src.tag}: {SETTING_KEY} (system) and {USER_SETTING_KEY} "
                 "(user), in declaration order; `default` as the Jackson mapper writes it, `text` as "
                 "String.valueOf (null: Object#toString)")
        return {"_about": about, "tag": src.tag, "model": "SettingKey",
                "system": setting_keys(ev), "user": user_setting_keys(ev)}
    about = (f"Settings of dhis2-core tag {src.tag}: the default getters of {SYSTEM_SETTINGS} and "
             f"{USER_SETTINGS} as LazySettings#extractDefaults reads them, in declaration order; "
             "`default` as LazySettings#asJson writes it")
    return {"_about": about, "tag": src.tag, "model": "LazySettings",
            "system": lazy_settings(ev, SYSTEM_SETTINGS),
            "user": [{k: v for k, v in e.items() if k not in ("confidential", "translatable")}
                     for e in lazy_settings(ev, USER_SETTINGS)]}


def main(argv: list[str]) -> int:
    return write_tags(argv, __doc__ or "", OUT, lambda repo, tag: catalog(Source(repo, tag)),
                      lambda data: f"{len(data['system'])} system, {len(data['user'])} user settings")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
