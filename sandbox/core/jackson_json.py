"""JSON bodies as DHIS2's object mappers write them.

`commons/jackson/config/JacksonObjectMapperConfig#configureMapper` (2.41.9 :147-186, 2.42.5 and
2.43.1 :155-194) turns on no `SerializationFeature.INDENT_OUTPUT` and sets no pretty printer,
and no response writer in dhis-2 sets one (the pretty printers at 2.43.1 write an app bundle's
file: `appmanager/JCloudsAppStorageService`, `web/appbundler/AppBundler`), so Jackson writes
compact JSON: `{"a":1,"b":[]}`, no white space at all.

Strings as jackson-core 2.21 / 2.22 writes them to a response's `OutputStream` in UTF-8
(`UTF8JsonGenerator`: Spring's `MappingJackson2HttpMessageConverter`, `webapi/mvc/messageconverter/
StreamingJsonRootMessageConverter` 2.41.9 :151, 2.42.5 / 2.43.1 :153 and, at 2.42.5 / 2.43.1,
`FilteredPageHttpMessageConverter` :217/:245, `createGenerator(outputStream)`), checked by
running the jars: `"` and `\\` escaped, the controls U+0000-U+001F as `\\b \\t \\n \\f \\r` or `\\u00XX` with
upper-case hex (`CharTypes` `sOutputEscapes128` and `HC`, where Python writes `\\u001f`);
U+007F, U+2028, `/`, `<` and every other character of the BMP as it is (UTF-8), and every
UTF-16 surrogate, a supplementary character's pair or a lone one, as a `\\uXXXX` escape
(`UTF8JsonGenerator#_outputMultiByteChar`, with `COMBINE_UNICODE_SURROGATES_IN_UTF8` off by
default), so U+1F600 is `\\uD83D\\uDE00` (`WriterBasedJsonGenerator`, a mapper's
`writeValueAsString`, would keep it as it is).

Numbers: a `JavaDouble` as `Double#toString` (`core/java_double.py`) and its NaN and
infinities as the strings "NaN", "Infinity", "-Infinity" (`JsonWriteFeature.WRITE_NAN_AS_STRINGS`,
on by default); other floats as Python's repr, which the sandbox keeps for numbers it has no
Java type for; integers as they are.

One pass: a body is written as it is walked (no copy of it, no markers, no second scan).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from scdi.sandbox.core.java_double import JavaDouble, to_string

# what a string cannot keep as it is: `"`, `\`, the controls and the UTF-16 surrogates
# (a Python string holds a supplementary character as one code point, Java as a pair)
_SPECIAL = re.compile('["\\\\\x00-\x1f\ud800-\udfff\U00010000-\U0010ffff]')
_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f",
          "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    short = _SHORT.get(char)
    if short is not None:
        return short
    code = ord(char)
    if code > 0xFFFF:  # the UTF-16 pair Java holds
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04X}\\u{0xDC00 + (code & 0x3FF):04X}"
    return f"\\u{code:04X}"


def string(text: str) -> str:
    """A JSON string as Jackson's UTF8JsonGenerator writes it."""
    if _SPECIAL.search(text) is None:
        return f'"{text}"'
    return f'"{_SPECIAL.sub(_escape, text)}"'


def _double(value: float) -> str:
    if math.isfinite(value):
        return to_string(value)
    return f'"{to_string(value)}"'  # WRITE_NAN_AS_STRINGS


def _float(value: float) -> str:
    if isinstance(value, JavaDouble):
        return _double(value)
    if math.isfinite(value):
        return float.__repr__(value)
    return f'"{to_string(value)}"'


def _key(key: Any) -> str:
    # json.dumps' reading of a non-string key (Jackson writes a map key's toString)
    if isinstance(key, str):
        return string(key)
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, float):
        return f'"{_float(key)}"'
    if isinstance(key, int):
        return f'"{int.__repr__(key)}"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _plain(text: str) -> bool:
    # the common case without a regex: printable ASCII (no control, no DEL) with no `"` or `\`
    return text.isascii() and text.isprintable() and '"' not in text and "\\" not in text


def dumps(data: Any, default: Callable[[Any], Any] | None = None) -> str:
    """`data` as Jackson writes it; `default` gives a JSON value for what is none (as
    `json.dumps`' default), a TypeError without it."""
    keys: dict[Any, str] = {}  # a body repeats its member names: each is escaped once

    def key(name: Any) -> str:
        found = keys.get(name)
        if found is None:
            found = keys[name] = _key(name) + ":"
        return found

    def write(value: Any) -> str:
        kind = type(value)
        if kind is str:
            return f'"{value}"' if _plain(value) else string(value)
        if kind is dict:
            if not value:
                return "{}"
            return "{" + ",".join([key(k) + write(v) for k, v in value.items()]) + "}"
        if kind is list or kind is tuple:
            if not value:
                return "[]"
            return "[" + ",".join([write(v) for v in value]) + "]"
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if kind is int:
            return int.__repr__(value)
        return other(value)

    def other(value: Any) -> str:
        # subclasses (JavaDouble, an IntEnum, a str enum) and what `default` turns into JSON
        if isinstance(value, str):
            return string(value)
        if isinstance(value, dict):
            return write(dict(value))
        if isinstance(value, list | tuple):
            return write(list(value))
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, float):
            return _float(value)
        if default is not None:
            return write(default(value))
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    return write(data)
