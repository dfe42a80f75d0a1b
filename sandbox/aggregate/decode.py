"""2.43.1's decode of a data value set before anything is imported:
`datavalue/DefaultDataEntryService.java#decodeGroup` (:127-327), as the sandbox reads the set
(`binding.py`) and its id schemes (`values.import_set`: the body's, then the query's, then
`idScheme`; the data set's and the attribute option combo's own only from the body, which
`ImportOptions` binds neither of).

The checks in their order: the set's period (`#decodeIso` :138, `Period#of`), its data set
(:188-191: not found by a scheme other than UID E8005, no UID E8004), its `completeDate`
(`#decodeDate` :192-195 and :356-363, `DateUtils#parseDate`: E8008), the completion's group
(:207-209: a date without data set, org unit or period E8009, a period `#decodeIso` reads as
none, "" too), then each value in turn (:213-301): period (E8100; a value's "" is none even
with the set's period, `peOf` :139), data element (none E8102, not found E8103, no UID E8104),
org unit (E8105 / E8107 / E8106; the value's own unless null, so "" is refused), category
option combo ("" none; E8108 / E8109), attribute option combo ("" none, then the set's;
E8110 / E8111). A scheme other than UID maps the ids (`IdCoder#mapDecodedIds`, :145-186),
one it does not find being "not found"; with UID an id is only checked to be one
(`#decodeUID` :339-347, `UID#of`), so an unknown UID passes the decode.

Each refusal is a `BadRequestException`: `DataEntryPipeline#importAutoSplitAndMerge` rethrows
it (`runStageAndRethrow(BadRequestException.class, …)` :160-164) and `#importInputGroups`
catches it (:139-145) into `new ImportSummary(ERROR)` with one conflict,
`DataEntrySummary#toConflict(IntStream.of(-1), code, args)` (:127-131): no object or property,
`objects` `{"args": the args' String#valueOf joined by "-"}`, the value `MessageFormat#format`
of the code's text (an index as a grouped Integer, `1,000`), indexes `[-1]`; no description,
no rejected index, no `dataSetComplete`; the controller's `importSummary` makes it 409 ERROR.
A period `Period#of` cannot read is no BadRequestException: the stage swallows it
(`JobProgress#runStageAndRethrow` :540-543 → :558-574) and the group is null
(`Release.import_period_fails_the_group`, `webmessage.UncaughtException`).

Not modelled: a `categoryOptionCombo` or set `attributeOptionCombo` given as an object of
category options (E8101, E8108 by options, `dv`'s `categoryOptions`, read as none here), the
`attributeCombo` / `attributeOptions` E8126 / E8127 (no JSON member sets them), ATTRIBUTE and
UUID schemes (read as UID), the `deletion` scope's E8034 / E8035.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from scdi.sandbox.analytics import periods
from scdi.sandbox.core import java_dates, objects, webmessage
from scdi.sandbox.core.store import Store

# feedback/ErrorCode.java (2.43.1 :671-712), the `${name:{n}}` placeholders as the enum's
# constructor leaves them (`TextUtils#replace` with no values: `{n}`)
MESSAGES = {
    "E8004": "Data set UID not valid: `{0}`",
    "E8005": "Data set not found: `{0}`",
    "E8008": "Data set `completeDate` is not a valid date string: `{0}`",
    "E8009": "Data set `completeDate` requires data set, org unit, period and attribute option "
             "combo to be defined at the group level.",
    "E8100": "Value #{0} period not defined in group or value: `{1}`",
    "E8102": "Value #{0} data element not defined in group or value: `{1}`",
    "E8103": "Value #{0} data element not found: `{1}`",
    "E8104": "Value #{0} data element UID not valid: `{1}`",
    "E8105": "Value #{0} org unit not defined in group or value: `{1}`",
    "E8106": "Value #{0} org unit UID is not valid: `{1}`",
    "E8107": "Value #{0} org unit not found: `{1}`",
    "E8108": "Value #{0} category option combo not found: `{1}`",
    "E8109": "Value #{0} category option combo UID is not valid: `{1}`",
    "E8110": "Value #{0} attribute option combo not found: `{1}`",
    "E8111": "Value #{0} attribute option combo UID is not valid: `{1}`",
}

# The shapes `Period.Input#of` (2.43.1 :390-456) gives the period types the sandbox does not
# model (weekly and its variants, bi-weekly, bi-monthly, six-monthly, NovQ): read as periods.
_UNMODELLED = re.compile(r"\d{4}(W\d{1,2}|S\d|\d{2}B|BiW\d{1,2}|NovQ\d|NovS\d|AprilS\d|"
                         r"(Wed|Thu|Fri|Sat|Sun)W\d{1,2})", re.ASCII)


def unmodelled_period(text: str) -> bool:
    """Whether `text` has the shape of a period type the sandbox does not model."""
    return _UNMODELLED.fullmatch(text) is not None


_WEEKLY = re.compile(r"(\d{4})W(\d{1,2})", re.ASCII)


def _week_missing(text: str) -> bool:
    """Whether a plain weekly id names a week its year lacks: `DateUnitPeriodTypeParser
    #parseInternal` (2.43.1 :96-122) answers null for a week below 1 and for one whose Monday
    falls in another ISO year (the "overflow" check, :119-120), so `Period#of` (:99-111)
    throws. The ISO calendar's weeks: 52 or 53, the week of 28 December."""
    match = _WEEKLY.fullmatch(text)
    if match is None:
        return False
    year, week = int(match[1]), int(match[2])
    if year < 1:
        return False  # year 0: not read here
    return not 1 <= week <= datetime.date(year, 12, 28).isocalendar()[1]


class Refused(Exception):
    """A `BadRequestException` of `#decodeGroup`: its code and arguments."""

    def __init__(self, code: str, *args: Any) -> None:
        super().__init__(code)
        self.code = code
        self.args_ = args

    def message(self) -> str:
        """`MessageFormat#format(code.getMessage(), args)`."""
        text = MESSAGES[self.code]
        for n, arg in enumerate(self.args_):
            text = text.replace(f"{{{n}}}", f"{arg:,}" if isinstance(arg, int) else _java(arg))
        return text

    def key(self) -> str:
        """`Stream.of(args).map(String::valueOf).collect(joining("-"))`."""
        return "-".join(str(a) if isinstance(a, int) else _java(a) for a in self.args_)


def _java(value: Any) -> str:
    """`String#valueOf` of a String, Boolean or null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _input(raw: dict[str, Any]) -> str:
    """`DataEntryValue.Input#toString`, the record's components in order (dhis-api
    `datavalue/DataEntryValue.java` :115-140) as `DataEntryInput#fromJson` (:294-309) fills
    them: no category options map here, no attribute combo or options."""
    parts = (("dataElement", raw.get("dataElement")), ("orgUnit", raw.get("orgUnit")),
             ("categoryOptionCombo", raw.get("categoryOptionCombo")), ("categoryOptions", None),
             ("attributeOptionCombo", raw.get("attributeOptionCombo")), ("attributeCombo", None),
             ("attributeOptions", None), ("period", raw.get("period")),
             ("value", raw.get("value")), ("comment", raw.get("comment")),
             ("followUp", raw.get("followup")), ("deleted", raw.get("deleted")))
    return "Input[" + ", ".join(f"{name}={_java(value)}" for name, value in parts) + "]"


@dataclass(frozen=True)
class Schemes:
    """The id scheme of each object the decode maps (`DataEntryGroup.Ids`)."""

    data_set: str
    data_element: str
    org_unit: str
    category_option_combo: str
    attribute_option_combo: str


def _mapped(store: Store, plural: str, scheme: str, given: str) -> str | None:
    """`IdCoder#mapDecodedIds` for a scheme other than UID: the UID of the object `given`
    names, None when none; UID (and ID, ATTRIBUTE, UUID here) the identity."""
    if scheme not in ("CODE", "NAME"):
        return given
    if scheme == "CODE":
        found = store.find_by_code(plural, given) if given else None
    else:
        found = next((o for o in store.list_objects(plural) if o.get("name") == given), None)
    return None if found is None else str(found["id"])


def _period(text: Any, financial: frozenset[str], delete: bool) -> bool:
    """`#decodeIso` (:350-353): whether a period is read; a non-empty text `Period#of` cannot
    read fails the stage, so the group is null and the service dereferences it."""
    if not isinstance(text, str) or not text:
        return False
    try:
        if _week_missing(text):
            raise periods.PeriodError(text)
        if unmodelled_period(text):
            return True
        periods.parse_dimension_iso(text, financial)
    except periods.PeriodError:
        member = "values" if delete else "deletion"
        raise webmessage.UncaughtException(
            f'Cannot invoke "org.hisp.dhis.datavalue.DataEntryGroup.{member}()" because '
            '"group" is null') from None
    return True


def _completion(doc: dict[str, Any], group_period: bool) -> str | None:
    """The completion date as `toMediumDate` prints it, or None; E8008 and E8009."""
    text = doc.get("completeDate")
    if not text:
        return None
    try:
        moment = java_dates.parse_date(str(text))
    except ValueError:
        moment = None
    if moment is None:
        raise Refused("E8008", str(text))
    # the group's members as json-tree reads them: only an absent one is null ("" is kept);
    # the period is the one `#decodeIso` read (:138), none for ""
    if doc.get("dataSet") is None or doc.get("orgUnit") is None or not group_period:
        raise Refused("E8009")
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"


def _uid(store: Store, plural: str, scheme: str, given: str, missing: str, invalid: str,
         index: int | None = None) -> None:
    """One id: mapped (`missing` when not found), then read as a UID (`invalid`)."""
    lead = () if index is None else (index,)
    uid = _mapped(store, plural, scheme, given)
    if uid is None:
        raise Refused(missing, *lead, given)
    if not objects.is_uid(uid):
        raise Refused(invalid, *lead, uid)


@dataclass(frozen=True)
class Pipeline:
    """What of 2.43.1's decode a release runs, one `Release` field each."""

    completion: bool = False  # `data_set_completion_pipeline`: E8008, E8009, the date
    periods: bool = False  # `import_period_fails_the_group`: `Period#of`'s failure
    ids: bool = False  # `import_decode_refusals`: the data set's and the values' refusals
    own_ids_first: bool = False  # `import_value_ids_over_the_set` (`values.py`)
    upserts: bool = False  # `import_summary_upserted`: 2.43.1's counts and status (`values.py`)
    schemes_merged: bool = False  # `import_id_schemes_merged`: whose id schemes (`values.py`)

    @property
    def decodes(self) -> bool:
        return self.completion or self.periods or self.ids


def group(store: Store, doc: dict[str, Any], schemes: Schemes, financial: frozenset[str],
          delete: bool, pipeline: Pipeline) -> str | None:
    """`#decodeGroup` of `doc` as far as `pipeline` goes: the completion date it reads, or
    raises `Refused` (or `webmessage.UncaughtException`)."""
    def period(text: Any) -> bool:
        return _period(text, financial, delete) if pipeline.periods else bool(text)

    group_period = period(doc.get("period"))
    data_set = doc.get("dataSet")
    if pipeline.ids and data_set is not None:
        _uid(store, "dataSets", schemes.data_set, str(data_set), "E8005", "E8004")
    completed = _completion(doc, group_period) if pipeline.completion else None
    for index, raw in enumerate(doc.get("dataValues") or []):
        if not isinstance(raw, dict):
            continue
        own = raw.get("period")
        if not (period(own) or (own is None and group_period)) and pipeline.ids:
            raise Refused("E8100", index, _input(raw))
        if pipeline.ids:
            _value(store, doc, raw, index, schemes)
    return completed


def _value(store: Store, doc: dict[str, Any], raw: dict[str, Any], index: int,
           schemes: Schemes) -> None:
    """A value's data element, org unit and option combos (:217-281)."""
    element = raw.get("dataElement")  # the group's data element is never set from JSON
    if element is None:
        raise Refused("E8102", index, _input(raw))
    _uid(store, "dataElements", schemes.data_element, str(element), "E8103", "E8104", index)
    unit = raw.get("orgUnit") if raw.get("orgUnit") is not None else doc.get("orgUnit")
    if unit is None:
        raise Refused("E8105", index, _input(raw))
    _uid(store, "organisationUnits", schemes.org_unit, str(unit), "E8107", "E8106", index)
    combo = raw.get("categoryOptionCombo") or None
    if combo is not None:
        _uid(store, "categoryOptionCombos", schemes.category_option_combo, str(combo),
             "E8108", "E8109", index)
    attribute = raw.get("attributeOptionCombo") or doc.get("attributeOptionCombo")
    if attribute is not None:
        _uid(store, "categoryOptionCombos", schemes.attribute_option_combo, str(attribute),
             "E8110", "E8111", index)
