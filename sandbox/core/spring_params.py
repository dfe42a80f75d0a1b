"""Request parameters as Spring binds them to `Boolean`/`boolean` and `Integer` arguments and
bean fields, and the Java number parsing underneath (Java 17 wording of every refusal).

- Booleans: Spring's `StringToBooleanConverter` (5.3.39 for 2.41.9, 6.2.8 for 2.42.5/2.43.1).
- Enums: the editor CrudControllerAdvice#initBinder registers for every org.hisp.dhis enum
  (`ConvertEnum`, `convert_enum`).
- Integers: `StringToNumberConverterFactory` → `NumberUtils#parseNumber` (`spring_int`);
  `Integer#parseInt`/`#valueOf`, `Long#valueOf` and `Double#valueOf` (`java_parse_int`,
  `java_int`, `java_double_of`) for the values DHIS2 parses itself.
- Collections of Strings (`string_collection`): a `@RequestParam Set<String>`/`List<String>`,
  one value split on commas, repeated values each as sent.
- Repeated values of a bean's field (`bean_value`, `convert_enum_values`,
  `conversion_refused`): the `String[]` `ServletRequestParameterPropertyValues` hands the binder.
- One optional `@RequestParam` of these types, from all the request's values of it
  (`request_values`, `request_param_int`, `request_param_bool`): the resolver's default, the
  ConversionService and the default property editor it falls back to, per Spring release.
- Missing values (`missing_parameter`, `missing_part`, `unsatisfied_params`): Spring's
  MissingServletRequestParameterException, MissingServletRequestPartException and
  UnsatisfiedServletRequestParameterException are ServletExceptions. CrudControllerAdvice has no
  handler closer to them than `#servletExceptionHandler`, which rethrows them (2.41.9 :496-499,
  2.42.5 :504-507, 2.43.1 :505-508), so `ExceptionHandlerExceptionResolver` gives up and
  `DefaultHandlerExceptionResolver` calls `sendError(400, …)`: the container's HTML status
  report (`core/unmapped.py#bad_request`), no WebMessage. Its message: Spring 5.3.39 (2.41.9)
  `ex.getMessage()` (`#handleMissingServletRequestParameter` :348-353,
  `#handleServletRequestBindingException` :366-371, `#handleMissingServletRequestPartException`
  :478-483); Spring 6.2.8 (2.42.5, 2.43.1) the problem detail (`#handleErrorResponse`
  :555-572): "Required parameter 'x' is not present." (`MissingServletRequestParameterException
  #initBodyDetail` :88-90), the part's message (`MissingServletRequestPartException` :56-58),
  "Invalid request parameters." (`UnsatisfiedServletRequestParameterException` :66).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from werkzeug.datastructures import MultiDict

from scdi.sandbox.core import java_string, unmapped, webmessage
from scdi.upstream.releases import Release


def _is_digit(char: str, radix: int) -> bool:
    """`Character#digit(char, radix) != -1`, one character at a time (so no `_` or `0x`)."""
    try:
        int(char, radix)
    except ValueError:
        return False
    return char != "_"




def spring_bool(text: str) -> bool | None:
    """Spring's StringToBooleanConverter: trimmed, any case, true/on/yes/1 and false/off/no/0;
    blank is null. Another value fails the converter, and `TypeConverterDelegate
    #convertIfNecessary` then falls back to the default `CustomBooleanEditor` (the
    ConversionFailedException kept aside), whose IllegalArgumentException is the one DHIS2's
    advice quotes: "Invalid boolean value [x]", the text as sent (Spring 5.3.x and 6.x alike;
    checked against spring-beans' SimpleTypeConverter with a DefaultConversionService)."""
    value = java_string.trim(text).lower()
    if not value:
        return None
    if value in ("true", "on", "yes", "1"):
        return True
    if value in ("false", "off", "no", "0"):
        return False
    raise ValueError(f"Invalid boolean value [{text}]")


def not_valid_value(name: str, raw: str) -> str:
    """CrudControllerAdvice#getNotValidValueMessage for a request parameter: the first sentence
    of every binding refusal (2.41.9, 2.42.5, 2.43.1)."""
    return f"{name} cannot be empty." if raw == "" else f"Value '{raw}' is not valid for parameter {name}."


def missing_parameter(name: str, java_type: str, release: Release) -> webmessage.HttpError:
    """A required `@RequestParam` (of the simple type name `java_type`) the request lacks."""
    if release.spring6_messages:
        message = f"Required parameter '{name}' is not present."
    else:
        message = (f"Required request parameter '{name}' for method parameter type {java_type} "
                   "is not present")
    return webmessage.fail(unmapped.bad_request(message, release))


def missing_part(name: str, release: Release) -> webmessage.HttpError:
    """A required `@RequestParam MultipartFile` the multipart request lacks."""
    message = (f"Required part '{name}' is not present." if release.spring6_messages
               else f"Required request part '{name}' is not present")
    return webmessage.fail(unmapped.bad_request(message, release))


def unsatisfied_params(conditions: str, actual: str, release: Release) -> webmessage.HttpError:
    """A path and method mapped only with `params` the request lacks (`conditions`, already
    quoted and joined; `actual`, the request's parameters as the exception lists them)."""
    message = ("Invalid request parameters." if release.spring6_messages else
               f"Parameter conditions {conditions} not met for actual request parameters: {actual}")
    return webmessage.fail(unmapped.bad_request(message, release))


def convert_enum(name: str, raw: str, constants: tuple[str, ...]) -> str:
    """The constant CrudControllerAdvice#initBinder's `ConvertEnum` binds `raw` to
    (`EnumUtils#getEnumIgnoreCase`: any case, untrimmed; 2.41.9 :677-694, 2.42.5 :721-738,
    2.43.1 :722-739); a refusal, the empty value too, is #handleTypeMismatchException's enum
    message (#getEnumErrorMessage): 400 without errorCode."""
    for constant in constants:
        if raw.lower() == constant.lower():
            return constant
    raise webmessage.fail(webmessage.bad_request_message(
        f"{not_valid_value(name, raw)} Valid values are: [{', '.join(constants)}]"))


def convert_enum_values(name: str, values: Sequence[str], constants: tuple[str, ...]) -> str:
    """An enum bean field given the request's values of it (at least one). Repeated, the binder
    gets a `String[]` (`WebUtils#getParametersStartingWith`); with `ConvertEnum` registered no
    ConversionService is tried, its `setValue` keeps the array, so `TypeConverterDelegate
    #doConvertValue` joins it with commas (5.3.39 :392, 6.2.8 :403) for `#setAsText` (:402,
    :412), which no constant matches. The TypeMismatchException carries the array
    (`AbstractNestablePropertyAccessor#convertIfNecessary` 5.3.39 :597-600, 6.2.8 :596-599):
    "Value '[Ljava.lang.String;@…' is not valid for parameter p. Valid values are: […]"."""
    if len(values) > 1:
        raise webmessage.fail(webmessage.bad_request_message(
            f"{not_valid_value(name, _shown(tuple(values)))} Valid values are: [{', '.join(constants)}]"))
    return convert_enum(name, values[0], constants)


def conversion_refused(name: str, values: Sequence[str], invalid: str, cause: str,
                       ) -> webmessage.HttpError:
    """A bean field the ConversionService refuses (`UID#of`, `StartDateTime#of`, an element of
    a `Set<UID>`), no default editor after it: CrudControllerAdvice#getConversionErrorMessage
    (2.41.9 :319-334, 2.42.5 / 2.43.1 :326-342) quotes the refused String, unless the parameter
    was repeated (the TypeMismatchException's value an array) and that String holds a comma:
    then it says so instead. A repeated scalar's refused String is its first value
    (`ArrayToObjectConverter#convert`), a collection's the first refused value, each as sent
    (`ArrayToCollectionConverter#convert`)."""
    if len(values) > 1 and "," in invalid:
        message = (f"You likely repeated request parameter '{name}' and used multiple "
                   "comma-separated values within at least one of its values. Choose one of "
                   f"these approaches. {cause}")
    else:
        message = f"{not_valid_value(name, invalid)} {cause}"
    return webmessage.fail(webmessage.bad_request_message(message))


def string_collection(values: Sequence[str]) -> list[str] | None:
    """A `@RequestParam Set<String>`/`List<String>` (or such a bean field) as Spring binds it,
    in order with repeats (None without the parameter). One value goes through
    StringToCollectionConverter#convert (5.3.39 and 6.2.8 :62-85): `StringUtils
    #commaDelimitedListToStringArray` keeps empty items ("a," is "a" and "", "," two empty
    ones) but gives none for an empty value, and each item is `String#trim`med. Repeated values
    go through ArrayToCollectionConverter#convert (5.3.39 :65-90, 6.2.8 :66-91), String to String:
    neither split nor trimmed. DHIS2 registers no converter or editor for these types
    (`WebMvcConfig#addFormatters`, `CrudControllerAdvice#initBinder`)."""
    if not values:
        return None
    if len(values) > 1:
        return list(values)
    if not values[0]:
        return []
    return [java_string.trim(item) for item in values[0].split(",")]


def _java_whitespace(char: str) -> bool:
    """`Character#isWhitespace`: a space, line or paragraph separator other than the no-break
    ones (U+00A0, U+2007, U+202F), or one of the controls U+0009-U+000D, U+001C-U+001F."""
    if "\t" <= char <= "\r" or "\x1c" <= char <= "\x1f":
        return True
    return unicodedata.category(char) in ("Zs", "Zl", "Zp") and char not in "\xa0\u2007\u202f"


def java_blank(text: str | None) -> bool:
    """commons-lang `StringUtils#isBlank`: null, empty or only `Character#isWhitespace`."""
    return text is None or all(_java_whitespace(c) for c in text)


def _number_format(text: str, radix: int) -> ValueError:
    """`NumberFormatException#forInputString` (Java 17)."""
    return ValueError(f'For input string: "{text}"' + ("" if radix == 10 else f" under radix {radix}"))


def _parse_int(text: str, radix: int, bits: int = 32) -> int:
    """`Integer#parseInt(s, radix)` (`Long#parseLong` with 64 bits): one optional sign (not
    alone), then digits of the radix (`Character#digit`, so no `_`), within the range; else
    ValueError for that string."""
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits or not all(_is_digit(c, radix) for c in digits) \
            or not -(2**(bits - 1)) <= (value := int(text, radix)) < 2**(bits - 1):
        raise _number_format(text, radix)
    return value


def java_parse_int(text: str) -> int:
    """`Integer#parseInt(s)`: decimal, no whitespace, within the int range; else ValueError."""
    return _parse_int(text, 10)


def java_int(text: str, bits: int = 32) -> int:
    """`Integer#valueOf(String)` (`parseInt(s, 10)`) or, with 64 bits, `Long#valueOf`."""
    return _parse_int(text, 10, bits)


def _decode(nm: str) -> int:
    """`Integer#decode` of a non-empty string: sign, then `0x`/`0X`/`#` hex or a leading `0`
    octal; the failure names the digits after the prefix, with the minus sign."""
    index, negative = (1, nm[0] == "-") if nm[0] in "+-" else (0, False)
    radix = 10
    if nm.startswith(("0x", "0X"), index):
        index, radix = index + 2, 16
    elif nm.startswith("#", index):
        index, radix = index + 1, 16
    elif nm.startswith("0", index) and len(nm) > index + 1:
        index, radix = index + 1, 8
    if nm.startswith(("-", "+"), index):
        raise ValueError("Sign character in wrong position")
    return _parse_int(("-" if negative else "") + nm[index:], radix)


def spring_int(text: str) -> int:
    """Spring's StringToNumberConverterFactory (an empty value is null before this):
    `NumberUtils#parseNumber` (5.3.39 :199-212, 6.2.8 :189-202) drops all whitespace
    (`StringUtils#trimAllWhitespace`), then `Integer#decode` only when `#isHexNumber` holds (an
    optional `-`, then `0x`, `0X` or `#`), else `Integer#valueOf`, decimal: `08` is 8, `010`
    10, `+0x2` refused. A bad value raises ValueError with the NumberFormatException's
    message (Java 17 wording)."""
    nm = "".join(c for c in text if not _java_whitespace(c))
    index = 1 if nm.startswith("-") else 0
    if nm.startswith(("0x", "0X", "#"), index):
        return _decode(nm)
    return _parse_int(nm, 10)


def request_values(args: MultiDict[str, str], name: str, release: Release) -> list[str]:
    """The values RequestParamMethodArgumentResolver#resolveName reads for `name`: the
    request's values of it, else, on Spring 6.2.8 (`request_param_array_suffix`), those of
    `name[]` (`?limit[]=3`)."""
    values = args.getlist(name)
    if not values and release.request_param_array_suffix:
        values = args.getlist(f"{name}[]")
    return values


def _resolved(values: Sequence[str]) -> str | tuple[str, ...] | None:
    """RequestParamMethodArgumentResolver#resolveName (5.3.39 :181-184, 6.2.8 :181-187): no
    value is null, one value its String, a repeated parameter the whole String[]."""
    if not values:
        return None
    return values[0] if len(values) == 1 else tuple(values)


def _shown(arg: str | tuple[str, ...]) -> str:
    """The argument as CrudControllerAdvice#getNotValidValueMessage writes it (`%s`, 2.41.9
    :297-306, 2.42.5 :304-313, 2.43.1 :304-313): a String as sent; a repeated parameter's
    String[] by `Object#toString`, its class and identity hash (HotSpot's: 31 random bits, 0
    made 0xBAD, in `Integer#toHexString`), so a different text at each request."""
    if isinstance(arg, str):
        return arg
    return f"[Ljava.lang.String;@{secrets.randbits(31) or 0xBAD:x}"


def _number_or_null(text: str) -> int | None:
    """StringToNumberConverterFactory#convert: an empty String is null, else `spring_int`."""
    return None if text == "" else spring_int(text)


def _number_editor(text: str) -> int | None:
    """The default `CustomNumberEditor(Integer, allowEmpty=true)#setAsText` (5.3.39 and 6.2.8
    :104-117): a text without `StringUtils#hasText` is null, else `NumberUtils#parseNumber`."""
    return None if java_blank(text) else spring_int(text)


def _boolean_editor(text: str) -> bool:
    """The default `CustomBooleanEditor(allowEmpty=false)#setAsText` of a primitive (5.3.39 and
    6.2.8 :131-156): the trimmed text must be one of the words, an empty one too."""
    value = spring_bool(text)
    if value is None:
        raise ValueError(f"Invalid boolean value [{text}]")
    return value


# Spring's two tries at a String (the ConversionService's converter, then the default editor
# TypeConverterDelegate falls back to) for each Java type these parameters have;
# PropertyEditorRegistrySupport#createDefaultEditors (5.3.39 :253-263, 6.2.8 :262-272).
_CONVERSIONS: dict[str, tuple[Callable[[str], Any], Callable[[str], Any]]] = {
    "Integer": (_number_or_null, _number_editor),
    "int": (_number_or_null, spring_int),
    "Boolean": (spring_bool, spring_bool),
    "boolean": (spring_bool, _boolean_editor),
}


def _convert(arg: str | tuple[str, ...], name: str, java_type: str) -> Any:
    """`TypeConverterDelegate#convertIfNecessary` (5.3.39 :121-136/:267-273/:385-393, 6.2.8
    :123-138/:278-284/:396-404) of an argument that is not null. The ConversionService converts a
    String, or a String[]'s first element (`ArrayToObjectConverter#convert` :57-69); its result
    stands unless it failed, or is the null a primitive cannot take (`GenericConversionService
    #handleResult`'s ConversionFailedException, 5.3.39 :325-336, 6.2.8 :298-309). Then the
    default editor converts the String, or the String[] joined with commas
    (`StringUtils#arrayToCommaDelimitedString`). Its refusal is the TypeMismatchException
    CrudControllerAdvice#methodArgumentTypeMismatchException (2.41.9 :223-250, 2.42.5 / 2.43.1
    :230-257) answers 400 without errorCode: "Value 'x' is not valid for parameter p." and, a
    primitive, "It should be of type int|boolean", else the editor's message (the
    IllegalArgumentException branch comes before the ConversionFailedException one)."""
    converter, editor = _CONVERSIONS[java_type]
    try:
        value = converter(arg if isinstance(arg, str) else arg[0])
        if value is not None or java_type not in ("int", "boolean"):
            return value
    except ValueError:
        pass  # the ConversionFailedException, kept aside while the editor tries
    try:
        return editor(arg if isinstance(arg, str) else ",".join(arg))
    except ValueError as refused:
        detail = f"It should be of type {java_type}" if java_type in ("int", "boolean") else str(refused)
        raise webmessage.fail(webmessage.error(
            400, f"{not_valid_value(name, _shown(arg))} {detail}")) from None


def bean_value(values: Sequence[str], name: str, java_type: str) -> Any:
    """A bean field of `java_type` (`Integer`, `int`, `Boolean`, `boolean`) given the request's
    values of it, as the ServletRequestDataBinder converts the String or, repeated, the
    `String[]` it gets (`_convert`: the first value, else the values joined for the default
    editor; a refusal quotes the array, `[Ljava.lang.String;@…`); None without a value.
    `CrudControllerAdvice#handleTypeMismatchException` words it as `_convert` does (2.41.9
    :254-277, 2.42.5 / 2.43.1 :261-284)."""
    arg = _resolved(values)
    return None if arg is None else _convert(arg, name, java_type)


def _request_param(values: Sequence[str], name: str, default: Any, java_type: str,
                   release: Release) -> Any:
    """An optional `@RequestParam` as `AbstractNamedValueMethodArgumentResolver#resolveArgument`
    resolves it (5.3.39 :108-140, 6.2.8 :119-147): absent, or exactly empty (one value, "")
    with a `defaultValue`, is the default; anything else is converted (`_convert`). A null that
    comes out converts the default on Spring 6.2.8 (`request_param_null_takes_default`) and
    stays null on 5.3.39."""
    arg = _resolved(values)
    if arg is None or (arg == "" and default is not None):
        return default
    value = _convert(arg, name, java_type)
    if value is None and default is not None and release.request_param_null_takes_default:
        return default
    return value


def request_param_int(values: Sequence[str], name: str, default: int | None,
                      release: Release, primitive: bool = False) -> int | None:
    """An optional `@RequestParam Integer` (`int` with `primitive`) given the request's values
    of it (`_request_param`). A value without text (whitespace only, `StringUtils#hasText`), or
    an empty one without default, is null: the ConversionService's failure on it is dropped
    when the default `CustomNumberEditor(Integer, allowEmpty=true)` makes it null; a primitive's
    editor does not allow it, 400 "Value ' ' is not valid for parameter p. It should be of type
    int". Any other value is `spring_int`'s, a refusal 400 "Value 'x' is not valid for
    parameter p. <the NumberFormatException's message>". Repeated, the first value binds; if
    it does not, the editor reads them all joined with commas ("For input string: \",2\"")."""
    value: int | None = _request_param(values, name, default, "int" if primitive else "Integer",
                                       release)
    return value


def request_param_bool(values: Sequence[str], name: str, default: bool | None,
                       release: Release, primitive: bool = False) -> bool | None:
    """An optional `@RequestParam Boolean` (`boolean` with `primitive`) given the request's
    values of it (`_request_param`): StringToBooleanConverter makes a blank value null itself,
    so whitespace only is null on a `Boolean` (the default from 2.42, null on 2.41), and on a
    primitive the null fails and the default `CustomBooleanEditor(allowEmpty=false)` refuses
    it: 400 "Value ' ' is not valid for parameter p. It should be of type boolean". Another
    word is `spring_bool`'s refusal; repeated, the first value binds, else all joined."""
    value: bool | None = _request_param(values, name, default,
                                        "boolean" if primitive else "Boolean", release)
    return value


def unboxed_null(name: str, boxed: str = "Integer") -> webmessage.UncaughtException:
    """A null `Integer` (or `Boolean`) argument the controller unboxes: JDK 17's helpful
    NullPointerException (the parameter named: dhis2-core compiles with -g),
    CrudControllerAdvice#defaultExceptionHandler's 500 with its message."""
    primitive = {"Integer": "int", "Boolean": "boolean"}[boxed]
    return webmessage.UncaughtException(
        f'Cannot invoke "java.lang.{boxed}.{primitive}Value()" because "{name}" is null')


# Double#valueOf after its trim (JDK 17 `FloatingDecimal#readJavaFormatString`): a sign, then
# NaN/Infinity, a decimal with an optional exponent, or (`#parseHexString`) a hexadecimal
# significand `0x<hex>[.<hex>]` with a binary exponent `p<digits>` it cannot do without; an
# optional float/double suffix after either number. ASCII digits only.
_JAVA_DOUBLE = re.compile(r"[+-]?(?:NaN|Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?)")
_JAVA_HEX_DOUBLE = re.compile(
    r"[+-]?0[xX](?:[0-9a-fA-F]+\.?|[0-9a-fA-F]*\.[0-9a-fA-F]+)[pP][+-]?[0-9]+[fFdD]?")


def _check_points(trimmed: str) -> None:
    """`FloatingDecimal#readJavaFormatString` (JDK 17) reads a decimal's leading digits and
    points (after a sign; not NaN, Infinity or a `0x` hexadecimal, which go their own way) and
    refuses a second point among them with "multiple points" before it looks at what follows:
    `1..0`, `..`, `1..0é`; a point after anything else (`1e1.0`) is the usual "For input
    string"."""
    index = 1 if trimmed[0] in "+-" else 0
    if trimmed.startswith(("N", "I", "0x", "0X"), index):
        return
    points = 0
    for ch in trimmed[index:]:
        if ch == ".":
            points += 1
            if points == 2:
                raise ValueError("multiple points")
        elif not "0" <= ch <= "9":
            return


def java_double_of(text: str) -> float:
    """Double#valueOf; ValueError with NumberFormatException's message."""
    trimmed = java_string.trim(text)
    if not trimmed:
        raise ValueError("empty String")
    _check_points(trimmed)
    if not trimmed.isascii():
        raise ValueError(f'For input string: "{trimmed}"')
    if _JAVA_HEX_DOUBLE.fullmatch(trimmed):
        hexadecimal = trimmed.rstrip("fFdD")
        try:
            return float.fromhex(hexadecimal)  # rounded to nearest, as parseHexString rounds
        except OverflowError:  # too large for a double: Java's infinity of that sign
            return float("-inf") if hexadecimal.startswith("-") else float("inf")
    if not _JAVA_DOUBLE.fullmatch(trimmed):
        raise ValueError(f'For input string: "{trimmed}"')
    return float(trimmed.rstrip("fFdD").replace("Infinity", "inf"))
