"""MetadataAttributeCheck: the attribute values of imported objects, after ReferencesCheck.

dhis2-core `dxf2/metadata/objectbundle/validation/MetadataAttributeCheck.java` (2.41.9, 2.42.5,
2.43.1) with `validation/attribute/DefaultAttributeValidator.java` (2.42.5 = 2.43.1; 2.41.9
`NumberCheck`/`DateCheck`/`TextCheck`/`EntityCheck`/`UserCheck`, the same predicates and codes):

- an attribute not assigned to the object's class (unknown, or without the class's
  `<type>Attribute` flag, stored or in the payload: `DefaultPreheatService#handleAttributes`) is
  E6012, reported on `Attribute` with the attribute id and the class's simple name;
- an empty value passes; otherwise the value is checked against the attribute's value type
  (`system/util/MathUtils`, `DateUtils#dateIsValid/#dateTimeIsValid`, `ValidationUtils
  #isPhoneNumber/#emailIsValid`): E6006–E6011, E6013, E6014, E6015 (DATETIME: Joda's
  `DateUtils.SUPPORTED_DATE_TIME_FORMAT_PARSERS`, `core/java_dates.py#date_time_is_valid`),
  E6016, E6017, E6018 (`core/email_address.py`), E6019 (org unit), E6020 (username),
  E6021 (PHONE_NUMBER: `GENERIC_PHONE_NUMBER`);
- only for a class that persists `attributeValues` (`Schema#hasPersistedProperty`);
- an object with any of these is dropped from the bundle (a removal check, counted ignored);
- the values in attribute id order from 2.42.5 (`LazyAttributeValues`); on 2.41.9 the object's
  `Set<AttributeValue>` as Jackson filled it (`attribute_value_set.py#value_set_order`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from scdi.sandbox.core import email_address, java_dates
from scdi.sandbox.core.users import find_by_username
from scdi.sandbox.metadata import normalise, registry
from scdi.sandbox.metadata.attribute_value_set import value_set_order
from scdi.sandbox.metadata.bundle import Context, Item, TypeResult, error_report

ATTRIBUTE_CLASS = "org.hisp.dhis.attribute.Attribute"
_INT_MAX = 2**31 - 1
# Java's patterns, matched whole (`Matcher#matches`: a trailing line break is no match, where
# Python's `$` allows one) and with ASCII `\d` (re.ASCII)
_NUMERIC = re.compile(r"(-?0|-?[1-9]\d*)(\.\d+)?", re.ASCII)  # MathUtils.NUMERIC_REGEXP
# system/util/ValidationUtils.GENERIC_PHONE_NUMBER (2.41.9 = 2.42.5 = 2.43.1)
_PHONE = re.compile(r"[0-9+()#. \t\n\x0b\f\r/ext-]{6,50}")
def _int(pattern: str) -> Callable[[str], bool]:
    # MathUtils: commons IntegerValidator (a Java int) and the pattern.
    compiled = re.compile(pattern, re.ASCII)
    return lambda v: bool(compiled.fullmatch(v)) and -_INT_MAX - 1 <= int(v) <= _INT_MAX


def _numeric(value: str) -> bool:
    return bool(_NUMERIC.fullmatch(value)) and len(value) < 250


def _between(low: float, high: float) -> Callable[[str], bool]:
    return lambda v: _numeric(v) and low <= float(v) <= high


_CHECKS: dict[str, tuple[Callable[[str], bool], str]] = {
    "INTEGER": (_int(r"0|-?[1-9]\d*"), "E6006"),
    "INTEGER_POSITIVE": (_int(r"[1-9]\d*"), "E6007"),
    "INTEGER_NEGATIVE": (_int(r"-[1-9]\d*"), "E6013"),
    "NUMBER": (_numeric, "E6008"),
    "INTEGER_ZERO_OR_POSITIVE": (_int(r"0|[1-9]\d*"), "E6009"),
    "PERCENTAGE": (_between(0, 100), "E6010"),
    "UNIT_INTERVAL": (_between(0, 1), "E6011"),
    "DATETIME": (java_dates.date_time_is_valid, "E6015"),
    "PHONE_NUMBER": (lambda v: bool(_PHONE.fullmatch(v)), "E6021"),
    "BOOLEAN": (lambda v: v in ("true", "false"), "E6016"),
    "TRUE_ONLY": (lambda v: v == "true", "E6017"),
    "EMAIL": (email_address.is_valid, "E6018"),
}


def _flag(simple_name: str) -> str:
    return simple_name[0].lower() + simple_name[1:] + "Attribute"


def _assigned(ctx: Context, uid: str | None, flag: str) -> dict[str, Any] | None:
    if uid is None:
        return None
    stored = ctx.store.get_object("attributes", uid)
    given = ctx.payload.get("attributes", {}).get(uid)
    for attribute in (given, stored):
        if attribute is not None and attribute.get(flag) is True:
            return attribute
    return None


def _value_errors(ctx: Context, attribute: dict[str, Any], value: str, klass: str
                  ) -> list[dict[str, Any]]:
    value_type = attribute.get("valueType")
    if value_type == "ORGANISATION_UNIT":
        if ctx.store.get_object("organisationUnits", value) is None:
            return [error_report("E6019", klass, [value, "OrganisationUnit"])]
        return []
    if value_type == "FILE_RESOURCE":  # DefaultAttributeValidator#validateFileResourceExists
        if ctx.store.get_object("fileResources", value) is None:
            return [error_report("E6019", klass, [value, "FileResource"])]
        return []
    if value_type == "USERNAME":
        if find_by_username(ctx.store, value) is None:
            return [error_report("E6020", klass, [value])]
        return []
    if value_type == "DATE":  # DateUtils#dateIsValid, its `\b` as the release's JDK reads it
        if java_dates.date_is_valid(value, ctx.release.regex_word_boundary_ascii):
            return []
        return [error_report("E6014", klass, [value])]
    check = _CHECKS.get(str(value_type))
    if check is None or check[0](value):
        return []
    return [error_report(check[1], klass, [value])]


def _sent_value(value: Any, by_uid: bool) -> Any:
    """2.41.9's `AttributeValue#value` is a String bound by EmptyStringToNullStdDeserializer:
    `getValueAsString` of an array or object start token is null, so no value to check (the
    deserializer then leaves the parser inside it, and Jackson reads the rest of the object out
    of step: not modelled). 2.42.5+ keep its compact JSON text (`AttributeValuesDeserializer`
    `readValueAsTree().toString()`, `LazyAttributeValues#parseValue` `toJson()`)."""
    if not by_uid and isinstance(value, (list, dict)):
        return None
    return value


# JDK 17 and 21 `TreeMap#addEntryToEmptyMap` → `#compare(k1, k2)` on a null first key: the
# helpful NullPointerException's text (the JDK's classes keep their parameter names)
_NULL_FIRST_KEY = 'Cannot invoke "java.lang.Comparable.compareTo(Object)" because "k1" is null'


def preheat_read_failure(items: list[Item], skipped: frozenset[str]) -> tuple[bool, str | None]:
    """2.42+: whether reading the payload's attribute values fails the import, and the text.

    `DefaultPreheatService#collectReferences` reads every payload object's attribute values
    (`getAttributeValues().forEach`, 2.42.5 :483-489, 2.43.1 :484-490) at the start of
    `#preheat` (:138-139), and `LazyAttributeValues#parseArrayJson` collects them into a TreeMap
    by `attribute.id` (2.42.5 :160-169, 2.43.1 :161-170): json-tree 1.8.1's
    `JsonVirtualTree#string` is null for an id that is missing or null, and for an item or an
    `attribute` that is no object (`#value` catches the leaf's JsonPathException). A null key is
    a NullPointerException: as the map's first key, `TreeMap#addEntryToEmptyMap`'s `compare`
    (`_NULL_FIRST_KEY`); after another key, `TreeMap#merge`'s `Objects.requireNonNull(key)`,
    which has no message (checked on JDK 17 and 25). It is thrown inside the "Creating bundle"
    stage, and the transitory `RecordingJobProgress#nonNullStagePostCondition` (2.42.5 :330-334,
    2.43.1 :328-332) rethrows it (`#cancellationException`'s `throw rex`, 2.42.5 :235-237,
    2.43.1 :233-235), so `CrudControllerAdvice#defaultExceptionHandler` answers 500 with that
    message, or none. Objects in the sandbox's import order (DHIS2's class order is a HashMap's
    of `Class` keys); embedded objects (`#collectScanTargets`) are not read here. `skipped`: the
    types whose getter answers `AttributeValues.empty()`
    (`Release.attribute_values_empty_types`), whose values are never parsed."""
    for item in items:
        if item.info.singular in skipped:
            continue
        values = item.obj.get("attributeValues")
        if not isinstance(values, list):
            continue
        for index, av in enumerate(values):
            attribute = av.get("attribute") if isinstance(av, dict) else None
            uid = attribute.get("id") if isinstance(attribute, dict) else None
            if uid is None:
                return True, _NULL_FIRST_KEY if index == 0 else None
            if not isinstance(uid, str):
                break  # json-tree's JsonTreeException for an id that is no string: not modelled
    return False, None


def check(ctx: Context, result: TypeResult, items: list[Item]) -> None:
    info = result.info
    # `!schema.hasPersistedProperty(ATTRIBUTE_VALUES)` (2.41.9 :79, 2.42.5 and 2.43.1 :80):
    # Jackson reads attribute values into any BaseIdentifiableObject; a class that does not
    # map them (a category combo, a dashboard) is not checked
    if not (registry.jackson_properties(info.singular, ctx.minor).get("attributeValues")
            or {}).get("persisted"):
        return
    by_uid = ctx.release.metadata_attribute_values_by_uid
    flag = _flag(info.simple_name)
    # The validators' ErrorReport class: 2.41.9 AttributeValue, 2.42.5+ AttributeValues.
    value_klass = "org.hisp.dhis.attribute.AttributeValue" + ("s" if by_uid else "")
    for item in items:
        values = [av for av in item.obj.get("attributeValues") or []
                  if isinstance(av, dict) and isinstance(av.get("attribute"), dict)]
        if not by_uid:
            values = value_set_order(values)
        # 2.41.9 `av.getAttribute().getUid()`: a reference without id (by code alone) is a
        # null uid, no attribute of the class, so E6012 with a null arg ("null" in the
        # message). On 2.42+ such a value ended the import in the preheat
        # (`preheat_read_failure`) and never gets here.
        pairs = [(None if not by_uid and av["attribute"].get("id") is None
                  else str(av["attribute"].get("id")), _sent_value(av.get("value"), by_uid))
                 for av in values]
        if by_uid:
            # LazyAttributeValues#parseArrayJson: a TreeMap by attribute id whose merge keeps
            # the first value of a repeated attribute (2.42.5 :160-169, 2.43.1 :161-170)
            first: dict[str, Any] = {}
            for uid, value in pairs:
                first.setdefault(str(uid), value)
            pairs = [(uid, first[uid]) for uid in sorted(first)]
        errors: list[dict[str, Any]] = []
        for uid, value in pairs:
            attribute = _assigned(ctx, uid, flag)
            if attribute is None:
                errors.append(error_report("E6012", ATTRIBUTE_CLASS, [uid, info.simple_name]))
            elif (text := normalise.value_text(value) if by_uid else value) not in (None, ""):
                # the value as the release read it: 2.41.9's String bound by
                # EmptyStringToNullStdDeserializer (`binding.py`: `true`, a number's text),
                # 2.42.5+ LazyAttributeValues#parseValue (a number or boolean its JSON text)
                errors += _value_errors(ctx, attribute, str(text), value_klass)
        if errors:
            result.report(item, errors, True)
