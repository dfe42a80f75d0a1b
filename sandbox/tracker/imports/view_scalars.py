"""The scalar members of the tracker views that Jackson reads with their own deserializers
(`Instant`s, `boolean`s, enums and, on 2.42.5/2.43.1, `UID`s): the value each reads, or the
exception it throws, named as `jackson_text.Problem` names it and located where Jackson puts
its location. `binding.py` checks each at its token, in document order, so a refusal carries
the location and the reference chain 2.41's Spring 5.3.39 writes after the message
(`NestedRuntimeException#getMessage` :76-77, `Ctx#unreadable_body`).

- an `Instant` (every date of `webapi/controller/tracker/view/*.java` at 2.41.9, 2.42.5,
  2.43.1): `ParseInstantStdDeserializer#deserialize` (commons/jackson/config, registered by
  `JacksonObjectMapperConfig`) reads `getText()`: blank is null, then `DateUtils#parseDate`
  (`core/java_dates.py`), then an all-digit text is epoch milliseconds (`Long#valueOf`), else
  `new JsonParseException(parser, …)`, located at the parser's position after the token
  (`StreamReadException(JsonParser, String)`: `currentLocation()`). The bean deserializer wraps
  either (`BeanDeserializerBase#wrapAndThrow`, WRAP_EXCEPTIONS on, → `JsonMappingException
  #wrapWithPath`): neither is a JsonMappingException, so a plain one is made with the original
  message, keeping the JsonParseException's location (databind#2482) and none for the
  NumberFormatException, which has no parser;
- a `boolean` (`core/jackson_booleans.py`): its InvalidFormatException or
  MismatchedInputException, at the token's start (`currentTokenLocation()`);
- an enum (`core/jackson_enums.py`): the exception and place its EnumRefused names;
- a `UID` (2.42.5/2.43.1 views, `@JsonCreator UID#of(String)`, which Jackson registers as the
  bean's String creator, no delegating one): a text is `createFromString`'s
  ValueInstantiationException at the token's start; any other token never reaches `UID#of`
  (`uid_refusal`).

The classes, locations and the document order were checked against jackson-databind 2.21.0
with jackson-core 2.21.2 (2.41.9's `jackson.version`) on a bean of the same shape.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from scdi.sandbox.core import jackson_booleans, jackson_enums, jackson_text, json_spans
from scdi.sandbox.core.jackson_strings import token_text
from scdi.sandbox.core.java_dates import iso_no_tz, parse_date
from scdi.sandbox.core.spring_params import java_blank

UID_CLASS = "org.hisp.dhis.common.UID"
UID_RE = re.compile(r"[a-zA-Z][a-zA-Z0-9]{10}\Z")  # \Z: Matcher#matches, no final line break
UID_PROBLEM = ("Cannot construct instance of `org.hisp.dhis.common.UID`, problem: UID must be "
               "an alphanumeric string of 11 characters starting with a letter, but was: ")
# `org.hisp.dhis.event.EventStatus` and the EnrollmentStatus of each release, in declaration
# order (the same constants at 2.41.9, 2.42.5, 2.43.1)
EVENT_STATUSES = ("ACTIVE", "COMPLETED", "VISITED", "SCHEDULE", "OVERDUE", "SKIPPED")
ENROLLMENT_STATUSES = ("ACTIVE", "COMPLETED", "CANCELLED")

_EPOCH = datetime(1970, 1, 1)
_LONG = range(-(2**63), 2**63)
_BOOLEAN_KINDS = {jackson_booleans.INVALID: "format", jackson_booleans.MISMATCH: "mapping"}


class Refused(ValueError):
    """A deserializer's refusal: `str()` its original message, `kind` the exception
    (`jackson_text.Problem.kind`), `at` where its location lies: "start" (the token's start),
    "end" (the parser's position after the token), "inside" (the start of the token after an
    object's `{`) or "none"."""

    def __init__(self, original: str, kind: str, at: str) -> None:
        super().__init__(original)
        self.kind = kind
        self.at = at

    def problem(self, text: str, begin: int, end: int) -> jackson_text.Problem:
        """The refusal of the token at `begin`..`end` of the decoded body `text`."""
        index = {"start": begin, "inside": json_spans.skip_ws(text, begin + 1)}.get(self.at, end)
        line, column = jackson_text.token_location(text, index)
        return jackson_text.Problem(str(self), line, column, self.kind, located=self.at != "none")


def is_uid(value: Any) -> bool:
    return isinstance(value, str) and bool(UID_RE.match(value))


def instant(value: Any) -> str | None:
    """A date → its stored form (a JSON number is read through its text too, so 2025 is a
    year and 20250304 a day)."""
    if value is None:
        return None
    text = token_text(value)
    if java_blank(text):  # StringUtils#isNotBlank: Character#isWhitespace, so U+00A0 is text
        return None
    try:
        moment = parse_date(text)
    except ValueError:
        moment = None
    if moment is not None:
        return iso_no_tz(moment)
    if text.isdecimal():  # StringUtils.isNumeric: Character.isDigit throughout
        millis = int(text)
        if millis not in _LONG:
            raise Refused(f'For input string: "{text}"', "wrapped", "none")
        try:
            return iso_no_tz(_EPOCH + timedelta(milliseconds=millis))
        except OverflowError:
            pass  # beyond the years 1-9999 the store can hold (a known limit)
    raise Refused(f"Invalid date format '{text}', only 'yyyy-MM-dd'T'HH:mm:ss.SSS' format end "
                  "epoch milliseconds are supported.", "wrapped", "end")


def flag(value: Any) -> bool:
    """A `boolean` member (a JSON null is false)."""
    read, problem = jackson_booleans.read(value, primitive=True)
    if problem is not None:
        raise Refused(problem[1], _BOOLEAN_KINDS[problem[0]], "start")
    return bool(read)


def enum(value: Any, constants: tuple[str, ...], klass: str) -> str | None:
    """An enum member (None for a JSON null)."""
    if value is None:
        return None
    try:
        return jackson_enums.read(klass, constants, value)
    except jackson_enums.EnumRefused as refused:
        raise Refused(str(refused), refused.kind, refused.at) from None


def uid(value: Any) -> str | None:
    """A `UID` member (None for a JSON null, an absent id): `UID#of` refuses any other text,
    "" too; any other value is `uid_refusal`'s."""
    if value is None or is_uid(value):
        return value  # type: ignore[no-any-return]
    raise uid_refusal(value)


def uid_refusal(value: Any) -> Refused:
    """Why a `UID` member cannot hold `value` (no JSON null), as jackson-databind 2.21.0 and
    2.22.3 (2.42.5's 2.21.3, 2.43.1's 2.22.0) refuse it, each checked by running them on a bean
    with a `@JsonCreator static of(String)`. A text goes to `UID#of`. The bean has no int, long,
    double, boolean or delegating creator, so `BeanDeserializerBase#deserializeFromNumber` /
    `#deserializeFromDouble` / `#deserializeFromBoolean` end in `ValueInstantiator
    #createFromInt` (`#createFromLong`, `#createFromBigInteger` by `getNumberType()`,
    `#createFromDouble` for any float, written as `Double#toString`: `1e5` 100000.0; `-0` is
    the int 0; `#createFromBoolean`) → `DeserializationContext#handleMissingInstantiator`, a
    MismatchedInputException at the token's start, in the words `jackson_text.not_a_bean`
    writes for a view bean; an array is `BeanDeserializerBase#deserializeFromArray`'s
    (`StdDeserializer#_deserializeFromArray`, UNWRAP_SINGLE_VALUE_ARRAYS off), at its `[`; an
    object `#deserializeFromObjectUsingNonDefault`'s, met after the object's `{`, so located
    at its first member's name or its `}` ("inside")."""
    if isinstance(value, str):
        return Refused(f"{UID_PROBLEM}{value}", "instantiation", "start")
    if isinstance(value, dict):
        return Refused(f"Cannot construct instance of `{UID_CLASS}` (although at least one "
                       "Creator exists): cannot deserialize from Object value (no delegate- or "
                       "property-based Creator)", "mapping", "inside")
    problem = jackson_text.not_a_bean(UID_CLASS, value, 0, 0)
    return Refused(problem.original, problem.kind, "start")
