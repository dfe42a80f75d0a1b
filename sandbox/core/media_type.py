"""Spring's reading of a request's Content-Type, as the `consumes` condition and its 415 use it.

Spring `MediaType#parseMediaType` → `MimeTypeUtils#parseMimeTypeInternal` and the `MimeType` /
`MediaType` constructors (5.3.39 = 6.2.8 in what is read here): the type and subtype are trimmed
and lower-cased, each `;`-separated parameter trimmed (a `;` inside double quotes kept; every
trim is `String#trim`, 5.3.39 :214/:252/:259-260, 6.2.8 :219/:257/:264-265: characters up to
U+0020 only, so a no-break space stays and is an invalid token character), a parameter without
`=` dropped, keys equal but for case merged (the later one kept, last), and the text written
back as `type/subtype;key=value…` — which is what "Content type '…' not supported" quotes; an
empty type is refused, and the quality `q` is read as `Double#parseDouble` reads it (`0x1p-1`
and `1d` are numbers, `inf` and `1_0` are not, `1..0` is "multiple points"). A header Spring
cannot parse fails the condition too (`ConsumesRequestCondition#getMatchingCondition` answers no
match) and `handleNoMatch` throws the parse error's own message, "Invalid mime type \"…\": …".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scdi.sandbox.core import java_string, jdk_charsets, spring_params

# MimeType.TOKEN: the ASCII characters that are neither controls nor RFC 2616 separators.
_SEPARATORS = set('()<>@,;:\\"/[]?={} \t')


class InvalidMediaType(ValueError):
    """InvalidMediaTypeException: its message is the 415's message."""


@dataclass(frozen=True)
class MediaType:
    type: str
    subtype: str
    parameters: tuple[tuple[str, str], ...]

    @property
    def essence(self) -> str:
        return f"{self.type}/{self.subtype}"

    def __str__(self) -> str:
        return self.essence + "".join(f";{key}={value}" for key, value in self.parameters)


def _check_token(token: str) -> None:
    for ch in token:
        if ord(ch) < 32 or ord(ch) >= 127 or ch in _SEPARATORS:
            raise ValueError(f"Invalid token character '{ch}' in token \"{token}\"")


def _quoted(value: str) -> bool:
    return len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'"


def _check_charset(name: str) -> None:
    """Charset.forName: a name outside `Charset#checkName`'s letters, digits and `-+:_.`
    (a letter or digit first) is an IllegalCharsetNameException, whose message is the name; a
    legal name the JDK does not know (`core/jdk_charsets.py`) an UnsupportedCharsetException."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9+\-:_.]*", name):
        raise ValueError(name)
    if not jdk_charsets.supported(name):
        raise ValueError(f"unsupported charset '{name}'")


def parse(text: str) -> MediaType:
    def invalid(message: str) -> InvalidMediaType:
        return InvalidMediaType(f'Invalid mime type "{text}": {message}')

    index = text.find(";")
    full_type = java_string.trim(text if index < 0 else text[:index])
    if not full_type:
        raise invalid("'mimeType' must not be empty")
    if full_type == "*":
        full_type = "*/*"
    slash = full_type.find("/")
    if slash < 0:
        raise invalid("does not contain '/'")
    if slash == len(full_type) - 1:
        raise invalid("does not contain subtype after '/'")
    type_, subtype = full_type[:slash], full_type[slash + 1:]
    if type_ == "*" and subtype != "*":
        raise invalid("wildcard type is legal only in '*/*' (all mime types)")
    parameters: dict[str, str] = {}
    while index >= 0 and index < len(text):
        end, quoted = index + 1, False
        while end < len(text) and (text[end] != ";" or quoted):
            if text[end] == '"':
                quoted = not quoted
            end += 1
        parameter = java_string.trim(text[index + 1:end])
        if "=" in parameter:
            key, _, value = parameter.partition("=")
            parameters[java_string.trim(key)] = java_string.trim(value)
        index = end
    try:
        # MimeType's constructor: an empty type ("/json") is refused before any token check
        if not type_:
            raise ValueError("'type' must not be empty")
        _check_token(type_)
        _check_token(subtype)
        for key, value in parameters.items():
            if not key:
                raise ValueError("'parameter' must not be empty")
            if not value:
                raise ValueError("'value' must not be empty")
            _check_token(key)
            if key == "charset":
                _check_charset(value[1:-1] if _quoted(value) else value)
            elif not _quoted(value):
                _check_token(value)
    except ValueError as error:
        raise invalid(str(error)) from None
    merged = _case_insensitive(parameters)
    quality = merged.get("q")
    if quality is not None:
        # MediaType(MimeType) checks the merged parameters again (MediaType#checkParameters),
        # the quality by its exact key `q`, read by Double#parseDouble; its message names a
        # media type.
        unquoted = quality[1:-1] if _quoted(quality) else quality
        try:
            factor = spring_params.java_double_of(unquoted)
        except ValueError as error:
            raise InvalidMediaType(f'Invalid media type "{text}": {error}') from None
        if not 0 <= factor <= 1:
            raise InvalidMediaType(f'Invalid media type "{text}": Invalid quality value '
                                   f'"{unquoted}": should be between 0.0 and 1.0')
    return MediaType(type_.lower(), subtype.lower(), tuple(merged.items()))


def _case_insensitive(parameters: dict[str, str]) -> dict[str, str]:
    """MimeType keeps its parameters in a `LinkedCaseInsensitiveMap`: a key equal but for case
    to an earlier one removes it and goes last with its own spelling and value."""
    merged: dict[str, str] = {}
    spelled: dict[str, str] = {}
    for key, value in parameters.items():
        earlier = spelled.get(key.lower())
        if earlier is not None and earlier != key:
            del merged[earlier]
        spelled[key.lower()] = key
        merged[key] = value
    return merged
