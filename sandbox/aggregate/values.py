"""`POST /api/dataValueSets`: a data value set imported as 2.41.9 / 2.42.5 do.

`dxf2/datavalueset/DefaultDataValueSetService.java#importDataValueSet`: the set's own id
schemes (its specific one, else its `idScheme`), then the import options', then UID; the data
set by its data set scheme (`id_schemes`; 2.43.1 puts a specific scheme of either before
both `idScheme`s). The
data set checks abort the whole import (ERROR, "Import process was aborted"); each value then
goes through `DataValueSetImportValidator#init`'s checks in their order of registration and
the first conflict skips it (counted ignored, its index rejected). Of those checks the sandbox
runs the ones that apply without strict options, approvals or locking:
E7610 data element, E7611 period, E7612 org unit, E7613/E7614 category option combo and its
options' data write sharing, E7615/E7616 the same for the attribute option combo, E7617 org unit
in the user's capture hierarchy, E7618 no value, E7619 value type, E7621 option set; a missing
combo falls back to the default (`checkDataValueCategoryOptionCombo`). The set's period, org
unit and attribute option combo, when they resolve, are every value's (`#createDataValueContext`);
a conflict names the value's own, `null` when it has none (`MessageFormat#format`).
The body is bound as the release binds it (`binding.py`: each String field as Jackson's or
json-tree's text). DHIS2's mapper's String deserializer reads `""` as null
(`commons/jackson/config/EmptyStringToNullStdDeserializer`, `JacksonObjectMapperConfig`
2.41.9 :150, 2.42.5 :158; `JsonDataValueSetReader`): an empty value and comment is E7618
(`DataValueEntry#isNullValue`, 2.41.9 :79-80, 2.42.5 :81-82), never a value type error.
2.43.1 keeps `""` (json-tree, `DataEntryInput#fromJson` :306) and then treats it as empty
(`DefaultDataEntryService#validateValues` :734), so the same reading serves it.

Counting (`#importDataValue`, `#saveDataValueCreate`, `#saveDataValueUpdate`): a numeric zero
of a data element whose zeros are not significant is skipped when there is nothing to update;
an existing value is updated (or deleted when the new one is empty or an insignificant zero,
or ignored when nothing changed); a new one is imported; a soft-deleted one comes back as
imported. Status SUCCESS, or WARNING when there were conflicts
(`ImportSummary`, `ImportConflict`: object, objects, value, errorCode, property, indexes;
`ImportConflict#createConflict` names the objects and `ImportSummary#addConflict` merges
repeats, see `Summary.conflict`). 2.43.1 upserts every value the checks pass and counts it
updated, ERROR when none was written (`_count_upserted`).

The set's `completeDate` is read and registered as each release does in `completion.py`
(2.41.9/2.42.5 `#handleComplete` before the values; 2.43.1 decoded first, marked after).
2.43.1 decodes the whole set before any of this (`decode.py`): an id it cannot decode
refuses the set in one ERROR summary (`Summary.refused`); a set it decodes is imported as
above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scdi.sandbox.access import acl
from scdi.sandbox.aggregate import completion, decode
from scdi.sandbox.analytics import periods
from scdi.sandbox.core import java_string, objects
from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User
from scdi.sandbox.metadata.defaults import DEFAULT_CATEGORY_OPTION_COMBO

STRATEGIES = ("CREATE_AND_UPDATE", "CREATE", "UPDATE", "DELETE")
_NUMERIC = {"NUMBER", "UNIT_INTERVAL", "PERCENTAGE", "INTEGER", "INTEGER_POSITIVE",
            "INTEGER_NEGATIVE", "INTEGER_ZERO_OR_POSITIVE"}
# system/util/MathUtils.java (2.41.9 :54-69, 2.42.5 = 2.43.1 :56-71): INT_PATTERN, POSITIVE_INT_PATTERN,
# POSITIVE_OR_ZERO_INT_PATTERN, NEGATIVE_INT_PATTERN and NUMERIC_REGEXP, each applied with
# `Matcher#matches` (the whole value: no final line break) and Java's ASCII `\d` (re.ASCII), after
# INT_VALIDATOR's int range; NUMBER also shorter than NUMBER_MAX_LENGTH (250). No exponent.
_INTEGER_PATTERNS = {
    "INTEGER": re.compile(r"0|-?[1-9]\d*", re.ASCII),
    "INTEGER_POSITIVE": re.compile(r"[1-9]\d*", re.ASCII),
    "INTEGER_NEGATIVE": re.compile(r"-[1-9]\d*", re.ASCII),
    "INTEGER_ZERO_OR_POSITIVE": re.compile(r"0|[1-9]\d*", re.ASCII),
}
_INTEGER_ERRORS = {"INTEGER": "value_not_integer", "INTEGER_POSITIVE": "value_not_positive_integer",
                   "INTEGER_NEGATIVE": "value_not_negative_integer",
                   "INTEGER_ZERO_OR_POSITIVE": "value_not_zero_or_positive_integer"}
_NUMBER = re.compile(r"(-?0|-?[1-9]\d*)(\.\d+)?", re.ASCII)
_NUMBER_MAX_LENGTH = 250
# MathUtils ZERO_PATTERN `^0(\\.0*)?$` (2.41.9 :71, 2.42.5 = 2.43.1 :73), with `Matcher#matches`
_ZERO = re.compile(r"0(\.0*)?")


@dataclass
class Options:
    """`ImportOptions`: id schemes (`UID`, `CODE`, `NAME`), strategy, dry run."""

    id_scheme: str = "UID"
    data_element_id_scheme: str | None = None
    org_unit_id_scheme: str | None = None
    coc_id_scheme: str | None = None
    data_set_id_scheme: str | None = None
    strategy: str = "CREATE_AND_UPDATE"
    dry_run: bool = False
    # Release.financial_year_period_types: the periods a value may name depend on the release.
    financial: frozenset[str] = frozenset()

    @classmethod
    def of(cls, params: dict[str, Any], financial: frozenset[str]) -> Options:
        def get(name: str) -> str | None:
            value = params.get(name)
            return str(value).upper() if value not in (None, "") else None
        return cls(id_scheme=get("idScheme") or "UID",
                   data_element_id_scheme=get("dataElementIdScheme"),
                   org_unit_id_scheme=get("orgUnitIdScheme"),
                   coc_id_scheme=get("categoryOptionComboIdScheme"),
                   data_set_id_scheme=get("dataSetIdScheme"),
                   strategy=get("importStrategy") or "CREATE_AND_UPDATE",
                   dry_run=str(params.get("dryRun", "false")).lower() == "true",
                   financial=financial)

    def as_json(self) -> dict[str, Any]:
        return {"idSchemes": {"idScheme": self.id_scheme,
                              "dataElementIdScheme": self.data_element_id_scheme or self.id_scheme,
                              "orgUnitIdScheme": self.org_unit_id_scheme or self.id_scheme,
                              "categoryOptionComboIdScheme": self.coc_id_scheme or self.id_scheme},
                "dryRun": self.dry_run, "async": False, "importStrategy": self.strategy,
                "mergeMode": "REPLACE", "reportMode": "FULL", "skipExistingCheck": False,
                "sharing": False, "skipNotifications": False, "skipAudit": False,
                "datasetAllowsPeriods": False, "strictPeriods": False,
                "strictDataElements": False, "strictCategoryOptionCombos": False,
                "strictAttributeOptionCombos": False, "strictOrganisationUnits": False,
                "strictDataSetApproval": False, "strictDataSetLocking": False,
                "strictDataSetInputPeriods": False, "requireCategoryOptionCombo": False,
                "requireAttributeOptionCombo": False, "skipPatternValidation": False,
                "ignoreEmptyCollection": False, "force": False, "firstRowIsHeader": True,
                "skipLastUpdated": False, "mergeDataValues": False, "skipCache": False}


# The `property` of each conflict's descriptor (DataValueSetImportConflict,
# DataValueImportConflict; 2.41.9 = 2.42.5). The objects are keyed by the schema singular name
# of their type (ImportContext#singularNameForType), an I18n argument by this property.
CONFLICT_PROPERTY = {
    "E7600": "dataSet", "E7601": "dataSet", "E7603": "orgUnit", "E7604": "attributeOptionCombo",
    "E7610": "dataElement", "E7611": "period", "E7612": "orgUnit",
    "E7613": "categoryOptionCombo", "E7614": "categoryOptionCombo",
    "E7615": "attributeOptionCombo", "E7616": "attributeOptionCombo", "E7617": "orgUnit",
    "E7618": "value", "E7619": "value", "E7621": "value",
}
# i18n_global.properties (2.41.9 :1748-1755, 2.42.5 :1752-1759) for the keys `_value_error`
# gives; I18n#getString answers a key it does not know with the key itself.
VALUE_ERROR_TEXT = {
    "value_length_greater_than_max_length": "Data value is greater than max length",
    "value_not_numeric": "Data value is not numeric",
    "value_not_unit_interval": "Data value is not a unit interval",
    "value_not_percentage": "Data value is not a percentage",
    "value_not_integer": "Data value is not an integer",
    "value_not_positive_integer": "Data value is not a positive integer",
    "value_not_negative_integer": "Data value is not a negative integer",
}


@dataclass
class Summary:
    options: Options
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)
    status: str = "SUCCESS"
    description: str | None = "Import process completed successfully"  # None: not written
    # set only once the data set checks pass (`#handleComplete` or "false"); null is not written
    data_set_complete: str | None = "false"
    # 2.43.1 `#upsertGroup` writes every value that passes (`import_summary_upserted`)
    upserts: bool = False

    def conflict(self, index: int, code: str, value: str, objects_: dict[str, str | None]) -> None:
        """ImportConflict#createConflict and ImportSummary#addConflict: one conflict per code
        and objects (`#getGroupingKey`), which collects the indexes of every repeat; a
        set-level conflict (index -1) has no indexes (null, not written)."""
        key = ":".join([code, *("null" if v is None else v for v in objects_.values())])
        held = next((c for c in self.conflicts if c["_key"] == key), None)
        if held is not None:
            if index >= 0 and "indexes" in held:
                held["indexes"].append(index)
            return
        conflict: dict[str, Any] = {"_key": key, "object": next(iter(objects_.values()), None),
                                    "objects": objects_, "value": value, "errorCode": code,
                                    "property": CONFLICT_PROPERTY[code]}
        if index >= 0:
            conflict["indexes"] = [index]
        self.conflicts.append(conflict)

    @classmethod
    def refused(cls, options: Options, refused: decode.Refused) -> Summary:
        """2.43.1 `DataEntryPipeline#importInputGroups`' answer to a decode's
        BadRequestException (:139-145): `new ImportSummary(ERROR)` (no description, nothing
        counted or rejected) with `DataEntrySummary#toConflict(IntStream.of(-1), …)`'s
        conflict (dhis-api `feedback/DataEntrySummary.java` :127-131; `ImportConflict`'s
        `@JsonCreator` constructor: no object or property, the indexes as given)."""
        summary = cls(options, status="ERROR", description=None, data_set_complete=None)
        summary.conflicts.append({"_key": refused.code, "objects": {"args": refused.key()},
                                  "value": refused.message(), "errorCode": refused.code,
                                  "indexes": [-1]})
        return summary

    def as_json(self) -> dict[str, Any]:
        body = {"responseType": "ImportSummary", "status": self.status,
                "importOptions": self.options.as_json(), "description": self.description,
                "importCount": {"imported": self.imported, "updated": self.updated,
                                "ignored": self.ignored, "deleted": self.deleted},
                "conflicts": [{k: v for k, v in c.items() if k != "_key"}
                              for c in self.conflicts],
                "rejectedIndexes": self.rejected}
        if self.data_set_complete is not None:
            body["dataSetComplete"] = self.data_set_complete
        if self.description is None:
            del body["description"]
        return body


def find(store: Store, plural: str, scheme: str, key: str | None) -> dict[str, Any] | None:
    if not key:
        return None
    if scheme == "CODE":
        return store.find_by_code(plural, key)
    if scheme == "NAME":
        return next((o for o in store.list_objects(plural) if o.get("name") == key), None)
    return store.get_object(plural, key)


def _read_string(raw: str | None) -> str | None:
    """A value or comment as the import reads it: `""` is none (2.41.9/2.42.5 bind it as null,
    `binding.py`; 2.43.1 keeps it and then treats it as empty)."""
    return raw or None


def _value_error(value: str, value_type: str) -> str | None:
    """`ValidationUtils#valueIsValid` for the numeric and text types the package's data elements use."""
    if value_type in _INTEGER_PATTERNS:
        if not _INTEGER_PATTERNS[value_type].fullmatch(value) or not -2**31 <= int(value) < 2**31:
            return _INTEGER_ERRORS[value_type]
        return None
    if value_type in ("NUMBER", "UNIT_INTERVAL", "PERCENTAGE"):
        if not _NUMBER.fullmatch(value) or len(value) >= _NUMBER_MAX_LENGTH:
            return "value_not_numeric" if value_type == "NUMBER" else \
                "value_not_unit_interval" if value_type == "UNIT_INTERVAL" else "value_not_percentage"
        if value_type == "UNIT_INTERVAL" and not 0 <= float(value) <= 1:
            return "value_not_unit_interval"
        if value_type == "PERCENTAGE" and not 0 <= float(value) <= 100:
            return "value_not_percentage"
        return None
    if value_type == "TEXT" and len(value) > 50000:
        return "value_length_greater_than_max_length"
    return None


def _zero_insignificant(value: str | None, de: dict[str, Any]) -> bool:
    """`ValidationUtils#dataValueIsZeroAndInsignificant` (2.41.9 :600-608, 2.42.5 :603-611):
    `MathUtils#isZero`, the text against ZERO_PATTERN (2.41.9 :71/:380-382, 2.42.5 :73/:382-384),
    not the number, so `-0` and `-0.0` are values like any other."""
    if value is None or str(de.get("valueType")) not in _NUMERIC:
        return False
    return bool(_ZERO.fullmatch(value)) and not de.get("zeroIsSignificant") and str(
        de.get("aggregationType")) not in ("AVERAGE_SUM_ORG_UNIT", "AVERAGE")


def _in_hierarchy(user: User, org_unit: dict[str, Any]) -> bool:
    """`OrganisationUnit#isDescendant(currentOrgUnits)`: the unit or one of its ancestors is a
    capture org unit of the user."""
    path = str(org_unit.get("path") or f"/{org_unit['id']}").strip("/").split("/")
    return any(root in path for root in user.capture_org_units)




def _stored_by(raw: dict[str, Any], user: User) -> str:
    """`ImportContext#getStoredBy` (2.41.9 :257-261, 2.42.5 :259-263): the value's own
    `storedBy` unless blank (`String#trim`), else the importing user. 2.43.1's
    `DataEntryInput#fromJson` reads no `storedBy` (`binding.py`), so there it is the user."""
    given = raw.get("storedBy")
    return given if isinstance(given, str) and java_string.trim(given) else user.username


def _period(text: Any, financial: frozenset[str]) -> periods.Period | None:
    r"""`ImportContext#getPeriodMap` of `trimToNull(…)` (`DefaultDataValueSetService
    #createDataValueContext`, 2.41.9 :1214-1220, 2.42.5 :1220-1226): the period an ISO text
    names, None for no text or one `PeriodType#getPeriodFromIsoString` cannot read (2.41.9
    :532-544, 2.42.5 :535-547). `DateUnitType#find` (2.41.9 :83-92, 2.42.5 :87-96) tries the
    patterns with `Matcher#matches`:
    DAILY's second `(\d{4})-(\d{2})-(\d{2})` and MONTHLY's `(\d{4})[-]?(\d{2})` take a dash,
    no other type's does, so `2020-01` is the month 202001 and `2020-01-15` the day 20200115,
    stored (and exported) by their ISO ids (`Period#getIsoDate`). 2.43.1's `Period#of`
    (`Period.Input#of` :390-456: 7 characters with `-` at 4, 10 with `-` at 4 and 7) reads
    the same ones."""
    trimmed = java_string.trim(text) if isinstance(text, str) else ""
    if not trimmed:
        return None
    try:
        return periods.parse_dimension_iso(trimmed, financial)
    except periods.PeriodError:
        return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _shown(value: Any) -> str:
    """An argument as `MessageFormat#format` prints it into a conflict's text
    (`ImportConflict#createConflict`, dhis-api 2.41.9 :107, 2.42.5 :109): null is `null`."""
    return "null" if value is None else str(value)


def id_schemes(doc: dict[str, Any], options: Options, merged: bool) -> decode.Schemes:
    """Each object's id scheme (`decode.Schemes`), the body's and the query's by release
    (`Release.import_id_schemes_merged`).

    2.41.9/2.42.5 `DefaultDataValueSetService#createIdScheme` (2.41.9 :1157-1161, used
    :1047-1070; 2.42.5 the same): the set's own, `DataValueSet#getIdScheme(String)` (2.41.9
    :219-223) its specific scheme else its `idScheme`, and only without either the options'
    (`IdSchemes#getScheme`: the specific one else `idScheme`); the data set is looked up by
    `context.getDataSetIdScheme()` (:1166-1168). 2.43.1 `DataEntryInput#fromJson`
    (:232-262) sets each scheme the body names on the options' `IdSchemes`, so a specific
    scheme, the body's or the query's, comes before either `idScheme` (`IdSchemes#getScheme`
    :85-87). `ImportOptions` binds `dataSetIdScheme` (`#setDataSetIdScheme`, 2.41.9 :286,
    2.42.5 :282, 2.43.1 :295) but no attribute option combo scheme, which only 2.43.1 reads
    (the body's)."""
    def body(name: str) -> str | None:
        given = doc.get(name)
        return str(given).upper() if given else None

    generic = body("idScheme")
    query_generic = options.id_scheme

    def scheme(name: str, query: str | None) -> str:
        if merged:
            return body(name) or query or generic or query_generic
        return body(name) or generic or query or query_generic

    return decode.Schemes(
        scheme("dataSetIdScheme", options.data_set_id_scheme),
        scheme("dataElementIdScheme", options.data_element_id_scheme),
        scheme("orgUnitIdScheme", options.org_unit_id_scheme),
        scheme("categoryOptionComboIdScheme", options.coc_id_scheme),
        scheme("attributeOptionComboIdScheme", None))


def import_set(store: Store, user: User, doc: dict[str, Any], options: Options,
               pipeline: decode.Pipeline = decode.Pipeline()) -> Summary:
    """Import one data value set and count what happened to each value, and its completion
    (`completion.py`); 2.43.1's decode first, as far as the release's `pipeline` goes
    (`decode.py`)."""
    summary = Summary(options)
    if options.strategy not in STRATEGIES:
        options.strategy = "CREATE_AND_UPDATE"
    delete = options.strategy == "DELETE"
    summary.upserts = pipeline.upserts
    schemes = id_schemes(doc, options, pipeline.schemes_merged)
    de_scheme, ou_scheme, coc_scheme = (
        schemes.data_element, schemes.org_unit, schemes.category_option_combo)
    completed = None
    if pipeline.decodes:
        # 2.43.1 #decodeGroup, before anything is imported
        try:
            completed = decode.group(store, doc, schemes, options.financial, delete, pipeline)
        except decode.Refused as refused:
            return Summary.refused(options, refused)
    # Data set level (`DataValueSetImportValidator#abortDataSetImport`): E7600, E7601, E7603, E7604.
    data_set = find(store, "dataSets", schemes.data_set, doc.get("dataSet"))
    outer_ou = find(store, "organisationUnits", ou_scheme, doc.get("orgUnit"))
    outer_aoc = find(store, "categoryOptionCombos", coc_scheme, doc.get("attributeOptionCombo"))
    aborts: list[tuple[str, str, dict[str, str | None]]] = []
    if data_set is None and doc.get("dataSet"):
        aborts.append(("E7600", f"Data set not found or not accessible: `{doc['dataSet']}`",
                       {"dataSet": str(doc["dataSet"])}))
    elif data_set is not None and not acl.can_data_write(user, data_set, "dataSets"):
        aborts.append(("E7601", f"User does not have write access for DataSet: `{doc['dataSet']}`",
                       {"dataSet": str(doc["dataSet"])}))
    if outer_ou is None and doc.get("orgUnit"):
        aborts.append(("E7603", f"Org unit not found or not accessible: `{doc['orgUnit']}`",
                       {"organisationUnit": str(doc["orgUnit"]), "dataSet": _text(doc.get("dataSet"))}))
    if outer_aoc is None and doc.get("attributeOptionCombo"):
        aborts.append(("E7604", "Attribute option combo not found or not accessible: "
                       f"`{doc['attributeOptionCombo']}`",
                       {"categoryOptionCombo": str(doc["attributeOptionCombo"]),
                        "dataSet": _text(doc.get("dataSet"))}))
    if aborts:
        for code, message, objs in aborts:
            summary.conflict(-1, code, message, objs)
        summary.status, summary.description = "ERROR", "Import process was aborted"
        summary.data_set_complete = None  # returned before the completion is looked at
        return summary
    if not pipeline.completion:
        _complete(summary, data_set, outer_ou, doc, options.financial)
    now = objects.now()
    for index, raw in enumerate(doc.get("dataValues") or []):
        _import_value(store, user, summary, index, raw, doc, now,
                      (de_scheme, ou_scheme, coc_scheme, outer_ou, outer_aoc), pipeline.own_ids_first)
    if pipeline.upserts:
        _count_upserted(summary, len(doc.get("dataValues") or []), delete)
    if pipeline.completion:
        # DataEntryPipeline#importGroups (:231-247): complete only when nothing was ignored
        summary.data_set_complete = completed if completed and not summary.ignored else "false"
    if not pipeline.upserts:
        summary.status = "WARNING" if summary.conflicts else "SUCCESS"
    return summary


def _count_upserted(summary: Summary, entered: int, delete: bool) -> None:
    """2.43.1 `DataEntrySummary#toImportSummary` (:106-120): every value the validation passed
    was upserted (`succeeded`, `#upsertGroup` :497-509) and counts updated, or deleted for the
    DELETE strategy (`DataEntryPipeline#toImportSummary` :252-265); the rejected ones are
    ignored (`#ignored` :84-86); nothing is imported. SUCCESS without conflicts, else WARNING
    when some value was written and ERROR when none was (:117-119). `new ImportSummary()` has
    no description."""
    succeeded = entered - len(summary.rejected)
    summary.imported, summary.updated, summary.deleted = 0, 0 if delete else succeeded, \
        succeeded if delete else 0
    summary.ignored = len(summary.rejected)
    summary.description = None
    summary.status = ("SUCCESS" if not summary.conflicts
                      else "WARNING" if succeeded > 0 else "ERROR")


def _complete(summary: Summary, data_set: dict[str, Any] | None, outer_ou: dict[str, Any] | None,
              doc: dict[str, Any], financial: frozenset[str]) -> None:
    """2.41.9/2.42.5 `#getCompletionDate` then `#handleComplete` (`completion.py`): the set's
    org unit, then its period (unreadable: none, `#createDataSetContext`), each else a plain
    conflict without code, objects or indexes."""
    completed = completion.legacy_date(_text(doc.get("completeDate")))
    if data_set is None or completed is None:
        summary.data_set_complete = "false"
        return
    missing = ("OrganisationUnit" if outer_ou is None
               else "Period" if _period(doc.get("period"), financial) is None else None)
    if missing:
        summary.conflicts.append({"_key": f"{missing}:{completion.NEEDED}", "object": missing,
                                  "value": completion.NEEDED})
        summary.data_set_complete = None
        return
    summary.data_set_complete = completed


def _import_value(store: Store, user: User, summary: Summary, index: int, raw: dict[str, Any],
                  doc: dict[str, Any], now: str,
                  ctx: tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None],
                  own_ids_first: bool = False) -> None:
    de_scheme, ou_scheme, coc_scheme, outer_ou, outer_aoc = ctx
    de = find(store, "dataElements", de_scheme, raw.get("dataElement"))
    financial = summary.options.financial
    if own_ids_first:
        # 2.43.1 DefaultDataEntryService#decodeGroup: the value's own period (`peOf` :139,
        # applied :215), org unit (:226-227) and attribute option combo (an empty one none,
        # :262-264) whenever it names one, the set's only in its place
        own_aoc = raw.get("attributeOptionCombo") or None
        period = _period(raw.get("period") if raw.get("period") is not None else doc.get("period"),
                         financial)
        ou = (outer_ou if raw.get("orgUnit") is None
              else find(store, "organisationUnits", ou_scheme, raw.get("orgUnit")))
        aoc = (outer_aoc if own_aoc is None
               else find(store, "categoryOptionCombos", coc_scheme, own_aoc))
    else:
        # The set's period, org unit and attribute option combo, when they resolve, win over
        # the value's own (`DefaultDataValueSetService#createDataValueContext`:
        # `getOuterPeriod() != null ? …`, 2.41.9 :1213-1246, 2.42.5 :1219-1252); the conflicts
        # name the value's own.
        period = _period(doc.get("period"), financial)
        if period is None:
            period = _period(raw.get("period"), financial)
        ou = outer_ou or find(store, "organisationUnits", ou_scheme, raw.get("orgUnit"))
        aoc = outer_aoc or find(store, "categoryOptionCombos", coc_scheme, raw.get("attributeOptionCombo"))
    coc = find(store, "categoryOptionCombos", coc_scheme, raw.get("categoryOptionCombo"))
    value = _read_string(raw.get("value"))
    deleted = bool(raw.get("deleted"))
    de_key = _shown(raw.get("dataElement"))

    def reject(code: str, message: str, objs: dict[str, str | None]) -> None:
        summary.conflict(index, code, message, objs)
        summary.ignored += 1
        summary.rejected.append(index)

    if de is None:
        return reject("E7610", f"Data element not found or not accessible: `{de_key}`",
                      {"dataElement": _text(raw.get("dataElement"))})
    if period is None:
        # the value's own period, not the one read (`DataValueSetImportValidator
        # #validateDataValuePeriodExists`, 2.41.9 :255-258, 2.42.5 :256-259)
        return reject("E7611", f"Period not valid: `{_shown(raw.get('period'))}`",
                      {"period": _text(raw.get("period"))})
    if ou is None:
        key = _shown(raw.get("orgUnit"))
        return reject("E7612", f"Organisation unit not found or not accessible: `{key}`",
                      {"organisationUnit": _text(raw.get("orgUnit"))})
    if coc is None and raw.get("categoryOptionCombo"):
        key = str(raw["categoryOptionCombo"])
        return reject("E7613", f"Category option combo not found or not accessible for writing data: `{key}`",
                      {"categoryOptionCombo": key})
    for option in (coc or {}).get("categoryOptions") or []:
        option_doc = store.get_object("categoryOptions", option.get("id"))
        if option_doc is not None and not acl.can_data_write(user, option_doc, "categoryOptions"):
            key = _shown(raw.get("categoryOptionCombo"))
            return reject("E7614", f"Category option combo: `{key}` option not accessible: `{option['id']}`",
                          {"categoryOptionCombo": _text(raw.get("categoryOptionCombo")),
                           "categoryOption": str(option["id"])})
    if aoc is None and raw.get("attributeOptionCombo"):
        key = str(raw["attributeOptionCombo"])
        return reject("E7615", f"Attribute option combo not found or not accessible for writing data: `{key}`",
                      {"categoryOptionCombo": key})
    for option in (aoc or {}).get("categoryOptions") or []:
        option_doc = store.get_object("categoryOptions", option.get("id"))
        if option_doc is not None and not acl.can_data_write(user, option_doc, "categoryOptions"):
            key = _shown(raw.get("attributeOptionCombo"))
            return reject("E7616", f"Attribute option combo: `{key}` option not accessible: `{option['id']}`",
                          {"categoryOptionCombo": _text(raw.get("attributeOptionCombo")),
                           "categoryOption": str(option["id"])})
    if not _in_hierarchy(user, ou):
        key = _shown(raw.get("orgUnit"))  # `dataValue.getOrgUnit()`, 2.41.9 :358
        return reject("E7617", f"Organisation unit: `{key}` not in hierarchy of current user: `{user.uid}`",
                      {"organisationUnit": _text(raw.get("orgUnit")), "user": user.uid})
    if value is None and not deleted and summary.options.strategy != "DELETE":
        return reject("E7618", f"Data value or comment not specified for data element: `{de_key}`",
                      {"dataElement": de_key})
    if value is not None:
        error_key = _value_error(value, str(de.get("valueType") or "TEXT"))
        if error_key:
            text = VALUE_ERROR_TEXT.get(error_key, error_key)
            return reject("E7619", f"Value must match value type of data element `{de_key}`: `{text}`",
                          {"dataElement": de_key, "value": error_key})
        option_set = (de.get("optionSet") or {}).get("id")
        if option_set:
            codes = {o.get("code") for o in store.list_objects("options")
                     if (o.get("optionSet") or {}).get("id") == option_set}
            if value not in codes:
                return reject("E7621", "Data value is not a valid option of the data element option set: "
                              f"`{de_key}`", {"dataElement": de_key})
    _save(store, summary, de, period.iso, ou["id"],
          (coc or {}).get("id") or DEFAULT_CATEGORY_OPTION_COMBO,
          (aoc or {}).get("id") or DEFAULT_CATEGORY_OPTION_COMBO,
          None if deleted else value, _stored_by(raw, user), _read_string(raw.get("comment")), now)


def _save(store: Store, summary: Summary, de: dict[str, Any], period: str, ou: str, coc: str, aoc: str,
          value: str | None, stored_by: str, comment: Any, now: str) -> None:
    key = (de["id"], period, ou, coc, aoc)
    with store.lock:
        existing = store.conn.execute(
            "SELECT value, deleted FROM data_values WHERE data_element=? AND period=? AND org_unit=? "
            "AND coc=? AND aoc=?", key).fetchone()
    strategy = summary.options.strategy
    if summary.upserts:
        # 2.43.1 `DataEntryGroup.Options` has no strategy but DELETE's (`#deleteGroup`), and
        # `#validateValues` no zero check: every value is upserted (`_count_upserted`)
        strategy = "DELETE" if strategy == "DELETE" else "CREATE_AND_UPDATE"
    insignificant = _zero_insignificant(value, de) and not summary.upserts
    if insignificant and (existing is None or strategy == "CREATE"):
        return  # `context.getSummary().skipValue()`: neither imported nor ignored
    write: tuple[str, tuple[Any, ...]] | None = None
    if existing is not None and not existing["deleted"]:
        if strategy in ("CREATE_AND_UPDATE", "UPDATE"):
            if value is None or insignificant:
                summary.deleted += 1
                write = ("UPDATE data_values SET deleted=1, last_updated=? WHERE data_element=? AND period=? "
                         "AND org_unit=? AND coc=? AND aoc=?", (now, *key))
            elif existing["value"] == value:
                summary.ignored += 1  # `dataValueUpdateShouldBeIgnored`
            else:
                summary.updated += 1
                write = ("UPDATE data_values SET value=?, stored_by=?, comment=?, last_updated=? "
                         "WHERE data_element=? AND period=? AND org_unit=? AND coc=? AND aoc=?",
                         (value, stored_by, comment, now, *key))
        elif strategy == "DELETE":
            summary.deleted += 1
            write = ("UPDATE data_values SET deleted=1, last_updated=? WHERE data_element=? AND period=? "
                     "AND org_unit=? AND coc=? AND aoc=?", (now, *key))
        else:
            summary.ignored += 1
    elif strategy in ("CREATE_AND_UPDATE", "CREATE"):
        if value is None:
            summary.ignored += 1
            return
        summary.imported += 1
        write = ("INSERT OR REPLACE INTO data_values (data_element, period, org_unit, coc, aoc, value, "
                 "stored_by, comment, created, last_updated, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,0)",
                 (*key, value, stored_by, comment, now, now))
    else:
        summary.ignored += 1
    if write is not None and not summary.options.dry_run:
        with store.lock, store.transaction() as conn:
            conn.execute(*write)
