"""Value checks shared by attributes and data values: type, option set, uniqueness.

- Value types: `dhis-support-system/.../system/util/ValidationUtils.java#valueIsValid` with the
  predicates of `MathUtils.java` (`#isCoordinate`), `DateUtils#dateIsValid` and
  `DateUtils#dateTimeIsValid` (the Joda parsers of `SUPPORTED_DATE_TIME_FORMAT_PARSERS`,
  `core/java_dates.py#date_time_is_valid`);
  Java's `Matcher#matches` takes the whole value with ASCII classes; the tracker wrapper
  `tracker/imports/validation/validator/ValidationUtils.java#validateValueType` turns a
  failure into "Value type is X but the value `v` is not." and adds the file resource,
  org unit and username existence checks; E1007 for attributes, E1302 for data values.
  A blank value (empty or only characters up to U+0020, `String#trim`) passes `#valueIsValid`
  but still meets the existence checks, so a blank FILE_RESOURCE, IMAGE, ORGANISATION_UNIT or
  USERNAME value "could not be found" (the validators skip only a null value: 2.41.9 = 2.42.5
  = 2.43.1 `DataValuesValidator#validateDataValue`, `AttributeValidator`).
  IMAGE values: `#validateImage` compares the file resource's format (`FileResource#getFormat`,
  the content type's subtype) with `util/Constant.VALID_IMAGE_FORMATS`
  (`ImageIO.getReaderFormatNames()`); 2.41.9 and 2.42.5 report an error when the format IS
  one of them (the condition is inverted), 2.43.1 when it is not
  (`tracker_image_format_check_inverted`). File values of an object already owned elsewhere:
  `#validateFileNotAlreadyAssigned` (E1009; CREATE: the resource is assigned; UPDATE: its
  owner is another object).
- Option sets: `ValidationUtils#validateOptionSet` (E1125; MULTI_TEXT splits on commas as
  `ValueType#splitMultiText`'s Java `String#split` does, trailing empty parts dropped).
- Uniqueness: `preheat/supplier/UniqueAttributesSupplier.java` collects the payload's
  duplicated unique values (a tracked entity and its enrollments count as one holder) and the
  stored holders; `validator/AttributeValidator.java#validateAttributeUniqueness` raises
  E1064 when another tracked entity holds the value (system-wide, or in the same org unit
  when the attribute has `orgunitScope`).
- Each attribute value of a tracked entity or enrollment: `validator/AttributeValidator.java`
  (length E1077, confidential without encryption E1112, then type, option set, uniqueness).
"""

from __future__ import annotations

import math
import re
import struct
from typing import Any

from scdi.sandbox.core import email_address, java_dates, java_string
from scdi.sandbox.core import users as sandbox_users
from scdi.sandbox.core.java_split import java_split
from scdi.sandbox.core.spring_params import java_blank
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.imports.view_scalars import is_uid
from scdi.sandbox.tracker.preheat import Preheat, ref_id
from scdi.sandbox.tracker.validation.frame import (
    ENROLLMENT,
    EVENT,
    TRACKED_ENTITY,
    Bundle,
    EnumArg,
    JavaObject,
    Obj,
)

MAX_ATTR_VALUE_LENGTH = 1200  # tracker/imports/util/Constant.java
_VALUE_MAX_LENGTH = 50000
# Java's `Pattern#matcher(v).matches()`: the whole value, ASCII `\d`/`\s` (re.ASCII + fullmatch).
_NUMERIC = re.compile(r"^(-?0|-?[1-9]\d*)(\.\d+)?$", re.ASCII)
_INT = re.compile(r"^(0|-?[1-9]\d*)$", re.ASCII)
_POS_INT = re.compile(r"^[1-9]\d*$", re.ASCII)
_ZERO_POS_INT = re.compile(r"(^0$)|(^[1-9]\d*$)", re.ASCII)
_NEG_INT = re.compile(r"^-[1-9]\d*$", re.ASCII)
_PHONE = re.compile(r"^[0-9+\(\)#\.\s\/ext-]{6,50}$", re.ASCII)
# EMAIL is commons-validator's EmailValidator (`core/email_address.py`, without its list of
# top-level domains); URL approximates its UrlValidator (ValidationUtils#urlIsValid) by a
# regular expression: not modelled (README).
_TIME = re.compile(r"^([0-9]|0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$")
_USERNAME = re.compile(r"^(?=.{4,255}$)(?![-_.@])(?!.*[-_.@]{2})[-_.@a-zA-Z0-9]+(?<![-_.@])$")
_URL = re.compile(r"^(https?|ftp)://[^\s/$.?#].[^\s]*$", re.I)
# java.lang.Float#parseFloat (FloatingDecimal#readJavaFormatString, after `String#trim`): NaN,
# Infinity, a decimal with optional exponent and f/d suffix, or a hexadecimal one with its
# binary exponent (`0x1.8p1`).
_JAVA_FLOAT = re.compile(r"[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)[fFdD]?)", re.ASCII)
_JAVA_HEX_FLOAT = re.compile(r"[+-]?0[xX]([0-9a-fA-F]+\.?|[0-9a-fA-F]*\.[0-9a-fA-F]+)[pP][+-]?\d+[fFdD]?",
                             re.ASCII)
_JAVA_WHITESPACE = re.compile(r"\s+", re.ASCII)
_INT_MAX = 2**31 - 1


def _int_ok(value: str) -> bool:
    try:
        return -(2**31) <= int(value) <= _INT_MAX
    except ValueError:
        return False


def _number_ok(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return bool(_NUMERIC.fullmatch(value)) and len(value) < 250


def _datetime_ok(value: str) -> bool:
    """`DateUtils#dateTimeIsValid` of the untrimmed value (`ValidationUtils#valueIsValid`
    2.41.9 :528, 2.42.5 = 2.43.1 :531): Joda's date-time parsers as `core/java_dates.py`
    reads them. Never empty here: a blank value passed before."""
    return java_dates.date_time_is_valid(value)


def _java_float(text: str) -> float | None:
    """`Float#parseFloat`, rounded to a 32-bit float as Java keeps it; None when it throws."""
    text = java_string.trim(text)
    if _JAVA_HEX_FLOAT.fullmatch(text):
        try:
            number = float.fromhex(text.rstrip("fFdD"))
        except OverflowError:  # Java's parse saturates to an infinity
            number = -math.inf if text.startswith("-") else math.inf
    elif _JAVA_FLOAT.fullmatch(text):
        number = float(text.rstrip("fFdD"))
    else:
        return None
    return float(struct.unpack("f", struct.pack("f", number))[0]) if math.isfinite(number) else number


def _coordinate_ok(value: str) -> bool:
    """`MathUtils#isCoordinate`: whitespace removed, `[` first and the first `]` last, the
    first two comma-separated parts parsed as floats and in range."""
    value = _JAVA_WHITESPACE.sub("", value)
    if len(value) < 5 or value.find("[") != 0 or value.find("]") != len(value) - 1:
        return False
    parts = value[1:-1].split(",")
    while parts and parts[-1] == "":  # String#split drops trailing empty strings
        parts.pop()
    if len(parts) < 2:
        return False
    lng, lat = _java_float(parts[0]), _java_float(parts[1])
    if lng is None or lat is None:
        return False
    return -180 <= lng <= 180 and -90 <= lat <= 90


def _in_range(value: str, low: float, high: float) -> bool:
    return _number_ok(value) and low <= float(value) <= high


_PREDICATES: dict[str, Any] = {
    # ValidationUtils#isValidLetter: `length() == 1`, a UTF-16 length (no supplementary char)
    "LETTER": lambda v: len(v) == 1 and ord(v) < 0x10000 and v.isalpha(),
    "NUMBER": _number_ok,
    "UNIT_INTERVAL": lambda v: _in_range(v, 0, 1),
    "PERCENTAGE": lambda v: _in_range(v, 0, 100),
    "INTEGER": lambda v: _int_ok(v) and bool(_INT.fullmatch(v)),
    "INTEGER_POSITIVE": lambda v: _int_ok(v) and bool(_POS_INT.fullmatch(v)),
    "INTEGER_NEGATIVE": lambda v: _int_ok(v) and bool(_NEG_INT.fullmatch(v)),
    "INTEGER_ZERO_OR_POSITIVE": lambda v: _int_ok(v) and bool(_ZERO_POS_INT.fullmatch(v)),
    "PHONE_NUMBER": lambda v: bool(_PHONE.fullmatch(v)),
    "EMAIL": email_address.is_valid,  # ValidationUtils#emailIsValid
    "BOOLEAN": lambda v: v.lower() in ("true", "false"),
    "TRUE_ONLY": lambda v: v.lower() == "true",
    "DATETIME": _datetime_ok,
    "COORDINATE": _coordinate_ok,
    "URL": lambda v: bool(_URL.fullmatch(v)),
    "FILE_RESOURCE": is_uid,
    "IMAGE": is_uid,
    "TIME": lambda v: bool(_TIME.fullmatch(v)),
    "USERNAME": lambda v: bool(_USERNAME.fullmatch(v)),
    "ORGANISATION_UNIT": is_uid,
}


# util/Constant.VALID_IMAGE_FORMATS: ImageIO.getReaderFormatNames() copied in its array order,
# which is a java.util.HashSet's iteration order. The JDK's own readers give these sixteen names on
# JDK 17.0.15 and 25 alike, in the same order but for the last two (the 2.41/2.42 images run 17,
# 2.43's runs 21, not at hand; it sits between two JDKs that agree). "wbmp" and "jpeg" share a
# HashSet bucket, so their order is the order the registry hands out the WBMP and JPEG readers,
# and javax.imageio.spi.PartiallyOrderedSet keeps the providers in a HashMap keyed by their
# identity hash codes: the pair swaps with how many identity hashes the JVM drew before ImageIO
# loaded, on either JDK. No release fixes it; the sandbox keeps one of the two orders.
VALID_IMAGE_FORMATS = ("JPG", "jpg", "tiff", "bmp", "BMP", "gif", "GIF", "WBMP", "png", "PNG",
                       "JPEG", "tif", "TIF", "TIFF", "wbmp", "jpeg")


def _image_problem(resource: dict[str, Any], value: str, inverted: bool) -> str | None:
    content_type = str(resource.get("contentType") or "")
    parts = re.split(r"[/;]", content_type)
    image_format = parts[1] if len(parts) > 1 else ""
    valid = image_format in VALID_IMAGE_FORMATS
    if valid == inverted:
        return (f"File resource with uid '{value}' is using invalid image format {image_format}."
                f" Valid formats are: {', '.join(VALID_IMAGE_FORMATS)}.")
    return None


# `String#trim` drops every character up to U+0020, not Python's Unicode whitespace.


def preheated_usernames(b: Bundle, current_user: bool) -> frozenset[str]:
    """The users the preheat holds by username (`TrackerPreheat#getUserByUsername`, a map the
    suppliers fill; 2.41.9, 2.42.5, 2.43.1): the importing user when `current_user`
    (2.42.5/2.43.1 `CurrentUserSupplier`), the events' assigned users by username and by a
    valid uid (`UserSupplier`), and the non-empty values of USERNAME attributes of tracked
    entities and enrollments (`UsernameValueTypeSupplier`), which preheats no data value."""
    names = {b.user.username} if current_user else set()
    for ev in b.payload[EVENT]:
        assigned = ev.get("assignedUser") or {}
        if assigned.get("username") and not java_blank(assigned["username"]):
            names.add(assigned["username"])
        if is_uid(assigned.get("uid")):
            account = sandbox_users.load(b.store, assigned["uid"])
            if account is not None:
                names.add(account.username)
    for obj in b.payload[TRACKED_ENTITY] + b.payload[ENROLLMENT]:
        for a in obj.get("attributes") or []:
            attr = b.preheat.attribute(a.get("attribute"))
            if attr and attr.get("valueType") == "USERNAME" and a.get("value"):
                names.add(a["value"])
    return frozenset(names)


def value_type_problem(preheat: Preheat, value: str, value_type: str,
                       image_check_inverted: bool = False,
                       ascii_word_boundary: bool = False,
                       usernames: frozenset[str] | None = None) -> str | None:
    """The text DHIS2 puts in E1007/E1302's second argument, or None when the value is fine.
    `usernames`: the ones the preheat holds (`preheated_usernames`), None for any stored."""
    blank = not java_string.trim(value)
    predicate = _PREDICATES.get(value_type)
    if value_type in ("DATE", "AGE"):
        valid = java_dates.date_is_valid(value, ascii_word_boundary)
    else:
        valid = predicate is None or predicate(value)
    bad = not blank and (java_string.length(value) > _VALUE_MAX_LENGTH or not valid)
    if bad:
        return f"Value type is {value_type} but the value `{value}` is not."
    if value_type in ("FILE_RESOURCE", "IMAGE"):
        resource = preheat.by_uid("fileResources", value)
        if resource is None:
            return f"File resource `{value}` could not be found."
        if value_type == "IMAGE":
            return _image_problem(resource, value, image_check_inverted)
    if value_type == "ORGANISATION_UNIT" and preheat.org_unit(value) is None:
        return f"Organisation unit `{value}` could not be found."
    if value_type == "USERNAME" and ((usernames is not None and value not in usernames)
                                     or sandbox_users.find_by_username(preheat.store, value) is None):
        return f"Username `{value}` could not be found."
    return None


def check_value_type(reporter: Any, tracker_type: str, uid: str, value: str,
                     obj: dict[str, Any], code: str, preheat: Preheat,
                     image_check_inverted: bool = False,
                     ascii_word_boundary: bool = False,
                     usernames: frozenset[str] | None = None) -> None:
    value_type = str(obj.get("valueType") or "TEXT")
    problem = value_type_problem(preheat, value, value_type, image_check_inverted,
                                 ascii_word_boundary, usernames)
    if problem is not None:
        reporter.error(tracker_type, uid, code, EnumArg(value_type), problem)


def check_file_not_assigned(b: Bundle, tracker_type: str, uid: str, value: str,
                            obj: dict[str, Any]) -> None:
    """`ValidationUtils#validateFileNotAlreadyAssigned` (E1009)."""
    if str(obj.get("valueType")) not in ("FILE_RESOURCE", "IMAGE"):
        return
    resource = b.preheat.by_uid("fileResources", value)
    if resource is None:
        return
    strategy = b.strategy(tracker_type, uid)
    owner = resource.get("fileResourceOwner")
    if (strategy == "CREATE" and resource.get("assigned")) or (
            strategy == "UPDATE" and owner is not None and owner != uid):
        b.reporter.error(tracker_type, uid, "E1009", value)


def check_option_set(reporter: Any, tracker_type: str, uid: str, value: str,
                     obj: dict[str, Any], preheat: Preheat) -> None:
    codes = preheat.option_codes(obj)
    if codes is None:
        return
    # ValueType#splitMultiText is Java's String#split(","): trailing empty parts are dropped
    wanted = java_split(",", value) if obj.get("valueType") == "MULTI_TEXT" else [value]
    if not set(wanted) <= codes:
        reporter.error(tracker_type, uid, "E1125", value, ref_id(obj.get("optionSet")))


class UniqueValues:
    """The `UniqueAttributeValue` list of one import: (te, attribute uid, value, org unit uid)."""

    def __init__(self, bundle: Any) -> None:
        self.entries: list[tuple[str, str, str, str | None]] = []
        preheat: Preheat = bundle.preheat
        unique = {a["id"] for a in preheat.store.list_objects("trackedEntityAttributes")
                  if a.get("unique")}
        holders: dict[str, tuple[str | None, set[tuple[str, str]]]] = {}
        for te in bundle.payload["TRACKED_ENTITY"]:
            ou = preheat.org_unit(te.get("orgUnit"))
            holders.setdefault(te["trackedEntity"], (ou["id"] if ou else None, set()))
            holders[te["trackedEntity"]][1].update(self._unique(preheat, te, unique))
        for en in bundle.payload["ENROLLMENT"]:
            te_uid = en.get("trackedEntity")
            if not te_uid:
                continue
            if te_uid not in holders:
                stored = bundle.store_get("trackedEntity", te_uid)
                holders[te_uid] = (stored["org_unit"] if stored else None, set())
            holders[te_uid][1].update(self._unique(preheat, en, unique))
        by_value: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
        for te_uid, (ou_uid, values) in holders.items():
            for attr, value in values:
                by_value.setdefault((attr, value), []).append((te_uid, ou_uid))
        for (attr, value), tes in by_value.items():
            if len(tes) > 1:
                self.entries.extend((te_uid, attr, value, ou) for te_uid, ou in tes)
            for row in bundle.unique_holders(attr, value):
                entry = (row["te"], attr, value, row["org_unit"])
                if entry not in self.entries:
                    self.entries.append(entry)

    @staticmethod
    def _unique(preheat: Preheat, obj: dict[str, Any], unique: set[str]) -> set[tuple[str, str]]:
        out = set()
        for a in obj.get("attributes") or []:
            attr = preheat.attribute(a.get("attribute"))
            if attr and attr["id"] in unique and a.get("value") is not None:
                out.add((attr["id"], a["value"]))
        return out

    def check(self, reporter: Any, tracker_type: str, uid: str, value: str,
              attr: dict[str, Any], te_uid: str | None, org_unit_uid: str | None) -> None:
        if not attr.get("unique"):
            return
        for holder_te, holder_attr, holder_value, holder_ou in self.entries:
            in_scope = not attr.get("orgunitScope") or (
                org_unit_uid is not None and holder_ou == org_unit_uid)
            if (in_scope and holder_attr == attr["id"] and holder_value == value
                    and (te_uid is None or holder_te != te_uid)):
                reporter.error(tracker_type, uid, "E1064", value, _tea_arg(attr))
                return


def _tea_arg(attr: dict[str, Any]) -> Obj:
    return Obj("trackedEntityAttributes", attr)


# -- attribute values of tracked entities and enrollments --------------------------------------
def attribute_values(b: Bundle, tracker_type: str, uid: str, attr: dict[str, Any], value: str,
                     uniques: UniqueValues, te_uid: str | None, org_unit: str | None) -> None:
    """`AttributeValidator`: length (E1077), confidential without encryption (E1112), value
    type (E1007), option set, uniqueness."""
    r = b.reporter
    if java_string.length(value) > MAX_ATTR_VALUE_LENGTH:  # String#length: UTF-16 units
        # Constant.MAX_ATTR_VALUE_LENGTH is an int: 2.41's formatter renders it empty
        r.error(tracker_type, uid, "E1077", value, JavaObject(str(MAX_ATTR_VALUE_LENGTH)))
    # AttributeValidator#validateAttributeValue: a confidential value needs an encryption
    # password in dhis.conf; the second argument is EncryptionStatus#getKey.
    if attr.get("confidential") and b.store.get_meta("encryption") == "off":
        r.error(tracker_type, uid, "E1112", value, "Missing encryption.password in dhis.conf")
    check_value_type(r, tracker_type, uid, value, attr, "E1007", b.preheat,
                     b.image_check_inverted, b.regex_word_boundary_ascii)
    check_file_not_assigned(b, tracker_type, uid, value, attr)
    check_option_set(r, tracker_type, uid, value, attr, b.preheat)
    uniques.check(r, tracker_type, uid, value, attr, te_uid, org_unit)


def payload_and_stored_attributes(b: Bundle, te_uid: str | None) -> set[str]:
    """`ValidationUtils#getTrackedEntityAttributes`: stored plus payload attribute uids."""
    out = {row["attribute"] for row in tracker_store.attribute_values(b.store, te_uid)} if te_uid else set()
    te = b.find(TRACKED_ENTITY, te_uid)
    for a in (te or {}).get("attributes") or []:
        attr = b.preheat.attribute(a.get("attribute"))
        out.add(attr["id"] if attr else a.get("attribute"))
    return out
