"""CSV metadata: `POST /api/metadata` with `Content-Type: application/csv` and `classKey`, read
into the metadata payload the JSON import takes.

dhis2-core (2.41.9 = 2.42.5 = 2.43.1 but for licence headers and imports):
- `webapi/controller/metadata/MetadataImportExportController.java#postCsvMetadata` (2.41.9
  :141-172, 2.42.5 :137-168, 2.43.1 :134-165): `consumes = "application/csv"` only (no
  `text/csv`); a missing or unknown `classKey` (`dxf2/csv/CsvImportClass#classExists`, an enum
  name, case-sensitive) is `conflict("Cannot find Csv import class:  " + classKey)`, two spaces,
  then the parameter as given (`null` only for a missing one, nothing for an empty one:
  2.41.9 :147-150, 2.42.5 :143-146, 2.43.1 :140-143), before anything is read; then the same
  import as JSON.
- `firstRowIsHeader` (`DefaultMetadataImportService#getParamsFromMap`,
  `#getBooleanWithDefault`: default true, false for any value but "true" in any case, an empty
  value included): when true the first record is skipped, whatever it holds; when false it is
  read as data (`dxf2/csv/DefaultCsvImportService#fromCsv`).
- the records (`system/util/CsvUtils#getReader`: javacsv 2.0's `CsvReader` with its defaults,
  `dhis-2/pom.xml` 2.41.9 :166, 2.42.5 :182, 2.43.1 :183; `_records`) and their columns
  (`DefaultCsvImportService`, each value through `#getSafe`: a missing or blank column
  (`StringUtils#isBlank`, Java's whitespace) takes the default, a value is cut to the
  column's length):
  - every class: name (230), uid (11, generated when blank), code (50) (`#setIdentifiableObject`);
  - DATA_ELEMENT (`#dataElementsFromCsv`): shortName (50, default the name), description,
    formName (230), domainType (`DataElementDomain#fromValue`, any case, default aggregate),
    valueType (`ValueType#valueOf`, default INTEGER), aggregationType (default SUM),
    categoryCombo uid (default the default combo), url (255), zeroIsSignificant
    (`Boolean#parseBoolean`), optionSet uid, commentOptionSet uid;
  - ORGANISATION_UNIT (`#orgUnitsFromCsv`): parent uid, shortName (50, default the name),
    description, openingDate (default 1970-01-01) and closedDate through
    `DateUtils#toMediumDate` (`core/java_dates.py#parse_medium_date`: Joda's `yyyy-MM-dd`, one
    or two digits of month and day; a field out of range is Joda's IllegalFieldValueException,
    an unreadable text its IllegalArgumentException, both 400 with the message), comment,
    featureType (`FeatureType#valueOf`, default NONE) and coordinates (a geometry
    `{"type": <FeatureType#value>, "coordinates": <column>}` unless NONE or blank), url (255),
    contactPerson (255), address (255), email (150), phoneNumber (150);
  - OPTION_SET (`#setOptionSetsFromCsv`): one option per record after the set's name, uid and
    code: option name (230), option uid (generated when blank), option code (50); records
    without set name or option code are skipped; the records of one set name make one TEXT
    option set, the last record's uid and code winning, its options in record order; the
    options are imported on their own too.
  A value `Enum#valueOf` refuses is an IllegalArgumentException, which CrudControllerAdvice
  answers 400 with its message (`No enum constant <class>.<value>`).
The other CsvImportClass keys (groups, memberships, categories, validation rules, option
groups, indicators) are not read by the sandbox: it says so with a 415.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from scdi.sandbox.core import java_dates, objects, spring_params, webmessage
from scdi.sandbox.metadata import registry
from scdi.sandbox.metadata.defaults import DEFAULT_CATEGORY_COMBO

# dxf2/csv/CsvImportClass.java, in its order.
CLASS_KEYS = (
    "ORGANISATION_UNIT_GROUP_MEMBERSHIP", "DATA_ELEMENT_GROUP_MEMBERSHIP",
    "INDICATOR_GROUP_MEMBERSHIP", "DATA_ELEMENT", "DATA_ELEMENT_GROUP", "CATEGORY_OPTION",
    "CATEGORY", "CATEGORY_COMBO", "CATEGORY_OPTION_GROUP", "ORGANISATION_UNIT",
    "ORGANISATION_UNIT_GROUP", "VALIDATION_RULE", "OPTION_SET", "OPTION_GROUP",
    "OPTION_GROUP_SET", "OPTION_GROUP_SET_MEMBERSHIP", "INDICATOR")
FEATURE_TYPES = {"NONE": "None", "MULTI_POLYGON": "MultiPolygon", "POLYGON": "Polygon",
                 "POINT": "Point", "SYMBOL": "Symbol"}

Row = list[str]


def check_class_key(class_key: str | None) -> str:
    if not class_key or class_key not in CLASS_KEYS:
        raise webmessage.fail(webmessage.conflict_message(
            f"Cannot find Csv import class:  {'null' if class_key is None else class_key}"))
    if class_key not in _READERS:
        raise webmessage.fail(webmessage.error(
            415, f"CSV metadata import of classKey {class_key} is not implemented by the "
                 "sandbox; send JSON"))
    return class_key


def read(body: bytes, class_key: str, skip_first: bool, minor: str
         ) -> dict[str, list[dict[str, Any]]]:
    """The metadata payload of the CSV body, enum values checked against the release's
    constants."""
    rows = _records(body.decode("utf-8", errors="replace"))
    if skip_first:
        rows = rows[1:]
    return _READERS[class_key](rows, registry.properties("dataElement", minor))


def _records(text: str) -> list[Row]:
    """javacsv 2.0 `CsvReader#readRecord` as `CsvUtils#getReader` sets it up (`,`, `"`,
    doubled quotes, TrimWhitespace and SkipEmptyRecords on): spaces and tabs before a value are
    skipped, then a value opening with a quote runs to the closing one (delimiters, line breaks
    and whitespace inside kept; what follows it up to the next delimiter dropped), any other
    value runs to the delimiter or line break and loses its trailing spaces and tabs (only an
    unquoted value is trimmed, `#endColumn`); CR, LF or both end a record, an empty line is no
    record, and a delimiter at the end of the text still ends an empty last value.

    `#endColumn` trims a value still in the 1024-char data buffer of spaces and tabs, but one
    copied into the column buffer (`#updateCurrentValue`, called by `#checkDataLength` before
    each refill) only of spaces (its loop tests `SPACE || SPACE`). The refill that finds the
    end of the data always copies the open value, so an unquoted value that ends the text
    (no line break after it) keeps its trailing tabs, and loses only the spaces after the
    last one. The other refill points are not modelled: `InputStreamReader#read` (JDK 17
    `StreamDecoder#implRead`) returns what it has decoded, up to the 1024 characters asked
    for, as soon as it holds some and the servlet stream's `available()` is 0, so where a
    refill falls inside a body depends on how its bytes reached the container, not on the
    body."""
    records: list[Row] = []
    row: Row = []
    due = False  # a delimiter or leading whitespace was read: a value, maybe empty, is open
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in " \t":
            due, i = True, i + 1
            continue
        if char in "\r\n":
            if due:
                row.append("")
            if row:
                records.append(row)
            row, due, i = [], False, i + 1
            continue
        if char == ",":
            row.append("")
            due, i = True, i + 1
            continue
        if char == '"':
            value, i = _quoted(text, i + 1)
            while i < n and text[i] not in ",\r\n":
                i += 1  # the "trailing junk" after the closing quote
        else:
            end = i
            while end < n and text[end] not in ",\r\n":
                end += 1
            # a value the data's end closes was copied into the column buffer by the
            # refill that found the end (#checkDataLength → #updateCurrentValue), and that
            # buffer's trim in #endColumn tests `SPACE || SPACE`: its trailing tabs stay
            value, i = text[i:end].rstrip(" " if end == n else " \t"), end
        row.append(value)
        due = i < n and text[i] == ","
        if i < n and not due:  # the line break ending the record
            records.append(row)
            row = []
        i += 1
    if due:
        row.append("")
    if row:
        records.append(row)
    return records


def _quoted(text: str, start: int) -> tuple[str, int]:
    """A quoted value from just after its opening quote: `""` is one quote; an unclosed one
    runs to the end of the text. The value and the index after the closing quote."""
    parts: list[str] = []
    i = start
    while i < len(text):
        if text[i] == '"':
            if text.startswith('"', i + 1):
                parts.append('"')
                i += 2
                continue
            return "".join(parts), i + 1
        parts.append(text[i])
        i += 1
    return "".join(parts), i


def _get(row: Row, index: int, default: str | None = None, length: int | None = None
         ) -> str | None:
    """`DefaultCsvImportService#getSafe`: blank as commons-lang `StringUtils#isBlank` reads it
    (`Character#isWhitespace`: a no-break space or U+0085 is a value)."""
    value = row[index] if index < len(row) and not spring_params.java_blank(row[index]) \
        else default
    return value[:length] if value is not None and length is not None else value


def _identifiable(row: Row) -> dict[str, Any]:
    return {"name": _get(row, 0, length=230),
            "id": _get(row, 1, length=11) or objects.generate_uid(),
            "code": _get(row, 2, length=50)}


def _enum(value: str, constants: Any, klass: str) -> str:
    if value not in constants:
        raise webmessage.fail(webmessage.error(400, f"No enum constant {klass}.{value}"))
    return value


def _constant(value: str, prop: dict[str, Any]) -> str:
    return _enum(value, prop.get("constants") or (), str(prop.get("klass")))


def _present(obj: dict[str, Any]) -> dict[str, Any]:
    """Java's null fields: no key in the payload."""
    return {k: v for k, v in obj.items() if v is not None}


def _ref(uid: str | None) -> dict[str, str] | None:
    return {"id": uid} if uid else None


def _data_elements(rows: list[Row], props: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out = []
    for row in rows:
        obj = _identifiable(row)
        domain = str(_get(row, 6, "aggregate", 16)).lower()
        obj.update({
            "shortName": _get(row, 3, obj["name"], 50), "description": _get(row, 4),
            "formName": _get(row, 5, length=230),
            "domainType": domain.upper() if domain in ("aggregate", "tracker") else None,
            "valueType": _constant(str(_get(row, 7, "INTEGER", 50)), props["valueType"]),
            "aggregationType": _constant(str(_get(row, 8, "SUM", 50)),
                                         props["aggregationType"]),
            "categoryCombo": {"id": _get(row, 9, length=11) or DEFAULT_CATEGORY_COMBO},
            "url": _get(row, 10, length=255),
            "zeroIsSignificant": str(_get(row, 11, "false")).lower() == "true",
            "optionSet": _ref(_get(row, 12, length=11)),
            "commentOptionSet": _ref(_get(row, 13, length=11)),
        })
        out.append(_present(obj))
    return {"dataElements": out}


def _medium_date(value: str | None) -> str | None:
    """`DateUtils#toMediumDate`: Joda's exceptions are IllegalArgumentExceptions, which
    CrudControllerAdvice answers 400 with their message."""
    try:
        moment = java_dates.parse_medium_date(value or "")
    except ValueError as exc:
        raise webmessage.fail(webmessage.error(400, str(exc))) from None
    return None if moment is None else java_dates.iso_no_tz(moment)


def _org_units(rows: list[Row], props: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out = []
    for row in rows:
        obj = _identifiable(row)
        # #orgUnitsFromCsv reads its columns in order (2.41.9 :504-513, 2.42.5 / 2.43.1
        # :506-515): the dates' errors come before the feature type's and the geometry's
        opening, closed = _medium_date(_get(row, 6, "1970-01-01")), _medium_date(_get(row, 7))
        feature = _enum(str(_get(row, 9, "NONE", 50)), FEATURE_TYPES,
                        "org.hisp.dhis.organisationunit.FeatureType")
        coordinates = _get(row, 10)
        geometry = None
        if feature != "NONE" and coordinates:
            try:
                geometry = {"type": FEATURE_TYPES[feature], "coordinates": json.loads(coordinates)}
            except ValueError:  # OrganisationUnit#setGeometryAsJson rethrows the IOException
                raise webmessage.UncaughtException(
                    "java.io.IOException: unreadable geometry") from None
        obj.update({
            "parent": _ref(_get(row, 3, length=230)),
            "shortName": _get(row, 4, obj["name"], 50), "description": _get(row, 5),
            "openingDate": opening, "closedDate": closed, "comment": _get(row, 8),
            "geometry": geometry, "url": _get(row, 11, length=255),
            "contactPerson": _get(row, 12, length=255), "address": _get(row, 13, length=255),
            "email": _get(row, 14, length=150), "phoneNumber": _get(row, 15, length=150),
        })
        out.append(_present(obj))
    return {"organisationUnits": out}


def _option_sets(rows: list[Row], props: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    sets: dict[str, dict[str, Any]] = {}
    members: dict[str, list[dict[str, Any]]] = {}
    options = []
    for row in rows:
        option_set = {**_identifiable(row), "valueType": "TEXT"}
        option = _present({"name": _get(row, 3, length=230),
                           "id": _get(row, 4, length=11) or objects.generate_uid(),
                           "code": _get(row, 5, length=50)})
        name = option_set["name"]
        if name is None or "code" not in option:
            continue
        sets[name] = option_set  # HashMap#put: the set of the name's last record
        members.setdefault(name, []).append(option)
        options.append(option)
    out = [_present({**s, "options": [{"id": o["id"]} for o in members[name]]})
           for name, s in sets.items()]
    return {"optionSets": out, "options": options}


_READERS: dict[str, Callable[[list[Row], dict[str, Any]], dict[str, list[dict[str, Any]]]]] = {
    "DATA_ELEMENT": _data_elements,
    "ORGANISATION_UNIT": _org_units,
    "OPTION_SET": _option_sets,
}
