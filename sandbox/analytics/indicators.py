"""Program indicators computed from the analytics tables, as dhis2-core's SQL does.

- ENROLLMENT indicators count enrollments (`analytics_enrollment`), EVENT indicators events
  (`analytics_event`) of the indicator's program (`analytics/event/data/JdbcEnrollmentAnalyticsManager`,
  `JdbcEventAnalyticsManager`); the filter keeps a row, the expression gives its value.
- `#{stage.element}`: in an EVENT indicator the event's own value when it is of that stage
  (`DefaultStatementBuilder#getProgramIndicatorDataElementInEventSelectSql`); in an ENROLLMENT
  indicator the newest non-null value of the enrollment's events of that stage inside the event
  boundaries (`#getProgramIndicatorEventInEnrollmentSelectSql`, `program/dataitem/ProgramItemStageElement.java`).
  `A{attribute}`: the tracked entity's value (`program/dataitem/ProgramItemAttribute.java`).
  BOOLEAN / TRUE_ONLY values are 1 for exactly 'true', 0 for 'false', otherwise no value
  (`analytics/table/AbstractEventJdbcTableManager` 2.41.9 `#getSelectClause`, 2.42.5
  `#getColumnExpression`, 2.43.1 `util/ColumnMapper#getColumnExpression`).
- `d2:count`, `d2:countIfValue`, `d2:minValue`, `d2:maxValue` are SQL subqueries over the
  enrollment's events (`program/function/ProgramCountFunction.java`, `D2Count`, `D2CountIfValue`,
  `ProgramMinMaxFunction.java`): computed here and handed to the parser as a stand-in data item.
  So are `d2:hasValue` and `d2:monthsBetween`, which the parser cannot evaluate on numbers and
  missing dates (`row_functions`). Everything else (operators, the `V{…}` variables) is
  evaluated by `@dhis2/expression-parser` (`scdi.upstream.engines`).
- Aggregation (`analytics/AggregationType`): `V{event_count}` is 1 for an ACTIVE or COMPLETED
  event and nothing for a scheduled one, aggregated as the indicator says (COUNT and SUM the
  number of them, AVERAGE / MIN / MAX 1: `program/variable/vEventCount.java`
  `DEFAULT_COUNT_CONDITION`, `AbstractJdbcEventAnalyticsManager#getAggregateClause`);
  `V{enrollment_count}`, `V{tei_count}` are the uid column itself (`vEnrollmentCount`: `distinct
  pi`, an ENROLLMENT indicator's `pi`, 2.42.5/2.43.1 `enrollment`; 2.41.9 `vTeiCount` `distinct
  tei`, 2.42.5/2.43.1 `vTrackedEntityCount` `distinct trackedentity`), which `#getAggregateClause`
  wraps as `function(expression)` (2.41.9 :736-745, 2.42.5 :799-808, 2.43.1 :1066-1077): COUNT
  counts distinct enrollments / tracked entities; SUM / AVERAGE of a character(11) column is
  PostgreSQL's 42883 "function sum(character) does not exist" (`refused_by_sql`, answered in
  `routes.py`); MIN / MAX give a uid, which `rowSet.getDouble("value")` cannot read
  (`UnreadableValue`: 2.41.9 `#getAggregatedEventData` :698, 2.42.5 :728, 2.43.1
  `AggregatedRowBuilder#addProgramIndicatorData` :249). Otherwise COUNT counts non-null values
  and SUM / AVERAGE / MIN / MAX aggregate them.
- Org unit: the enrollment's or event's org unit, or the org unit a data element of the event
  names when the indicator has `orgUnitField` (`JdbcEventAnalyticsManager#getOrgUnitField…`).
Anything else the package does not use is refused with `IndicatorError`.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scdi.sandbox.analytics import row_functions
from scdi.sandbox.analytics.boundaries import Boundary, BoundaryError, default_for
from scdi.sandbox.analytics.periods import Period
from scdi.sandbox.core.store import Store
from scdi.upstream import engines

NUMERIC = {"NUMBER", "INTEGER", "INTEGER_POSITIVE", "INTEGER_NEGATIVE", "INTEGER_ZERO_OR_POSITIVE",
           "PERCENTAGE", "UNIT_INTERVAL"}
BOOLEAN = {"BOOLEAN", "TRUE_ONLY"}
VARIABLES = {"enrollment_status", "enrollment_date", "incident_date", "event_date",
             "program_stage_id", "analytics_period_start", "analytics_period_end", "event_count",
             "enrollment_count", "tei_count", "event_status"}
COUNT_VARIABLES = {"V{event_count}": "event", "V{enrollment_count}": "enrollment", "V{tei_count}": "te"}
AGGREGATIONS = {"COUNT", "SUM", "AVERAGE", "MIN", "MAX"}
_SUBQUERY = re.compile(r"d2:(count|countIfValue|minValue|maxValue)\(\s*"
                       r"(?:#\{(\w{11})\.(\w{11})\}|PS_EVENTDATE:(\w{11}))\s*(?:,\s*('[^']*'|-?\d+(?:\.\d+)?))?\s*\)")
_ITEM = re.compile(r"([#A])\{(\w{11})(?:\.(\w{11}))?\}")
_VARIABLE = re.compile(r"V\{(\w+)\}")
# ProgramIndicator#ANALYTICS_VARIABLE_REGEX
_ANALYTICS_PERIOD = re.compile(r"V\{analytics_period_(start|end)\}")
_STAND_IN = ("zzSubq", "zzFnE", "zzFnF")


class IndicatorError(ValueError):
    """A program indicator the sandbox cannot compute the way DHIS2 does."""


# the count variables whose SQL is a uid column (character(11) in the analytics tables)
TEXT_COUNTS = ("V{enrollment_count}", "V{tei_count}")


def refused_by_sql(ind: Indicator) -> bool:
    """`sum(distinct pi)` / `avg(…)`: no such function for a character column (SQLState 42883)."""
    return ind.expression in TEXT_COUNTS and ind.aggregation in ("SUM", "AVERAGE")


class UnreadableValue(Exception):
    """`min(distinct pi)` / `max(…)` answer a uid; the CachedRowSet behind Spring's SqlRowSet
    (`CachedRowSetImpl#getDouble`: `Double#valueOf` of the text, its resource text checked on
    JDK 17 and 25) refuses it, and `ResultSetWrappingSqlRowSet` wraps that SQLException in an
    InvalidResultSetAccessException, which `AnalyticsUtils#withExceptionHandling` does not
    catch: `CrudControllerAdvice#defaultExceptionHandler`'s 500 with the cause's message
    (`#getExceptionMessage`, 2.41.9 :627-648, 2.42.5 :671-692, 2.43.1 :672-693)."""

    def __init__(self, uid: str) -> None:
        super().__init__(f"getDouble failed on value ( {uid} ) in column 1")


def _collation_key(uid: str) -> tuple[str, str]:
    """PostgreSQL's order of text under an en_US collation, roughly: letters case-blind first,
    a lower-case letter before its capital (the exact glibc order is not modelled)."""
    return uid.lower(), uid.swapcase()


@dataclass(frozen=True)
class Indicator:
    uid: str
    code: str | None
    name: str
    short_name: str
    analytics_type: str
    expression: str
    filter: str | None
    aggregation: str
    program: str
    boundaries: tuple[Boundary, ...]
    decimals: int | None
    org_unit_field: str | None

    @classmethod
    def of(cls, doc: dict[str, Any]) -> Indicator:
        kind = str(doc.get("analyticsType") or "EVENT")
        found = tuple(Boundary.of(b) for b in doc.get("analyticsPeriodBoundaries") or [])
        return cls(doc["id"], doc.get("code"), str(doc.get("name") or doc["id"]),
                   str(doc.get("shortName") or doc.get("name") or doc["id"]), kind,
                   str(doc.get("expression") or ""), doc.get("filter") or None,
                   str(doc.get("aggregationType") or "AVERAGE"), str((doc.get("program") or {}).get("id")),
                   found or default_for(kind), doc.get("decimals"), doc.get("orgUnitField") or None)

    def splits_by_period(self) -> bool:
        """`DefaultEventQueryPlanner#groupByPeriod` gives this indicator one query per period
        (2.41.9 :268-290, 2.42.5 :271-293, 2.43.1 :305-329): an ownership `orgUnitField`, or
        `EventQueryParams#useIndividualQuery` — `ProgramIndicator#hasAnalyticsVariables`
        (`V{analytics_period_start|end}` in the expression or filter) or
        `#hasNonDefaultBoundaries` (2.41.9 :181-186, 2.42.5 / 2.43.1 :201-206), whose
        precedence makes every ENROLLMENT indicator non-default and an EVENT one whenever its
        boundaries are not exactly the two event date defaults (`AnalyticsPeriodBoundary#equals`
        compares target, type, offset period type and offset, null as 0). The first/last period
        aggregation types split too; the sandbox computes none of them (`check`)."""
        if self.org_unit_field in ("OWNER_AT_START", "OWNER_AT_END"):
            return True
        if any(_ANALYTICS_PERIOD.search(text or "") for text in (self.expression, self.filter)):
            return True
        keys = {(b.target, b.kind, b.offset_type, b.offset or 0) for b in self.boundaries}
        defaults = {(b.target, b.kind, b.offset_type, 0) for b in default_for("EVENT")}
        return len(keys) != 2 or (self.analytics_type == "EVENT" and not defaults <= keys) \
            or self.analytics_type == "ENROLLMENT"

    def event_boundaries(self) -> tuple[Boundary | None, Boundary | None]:
        """The first start and end EVENT_DATE boundaries (`ProgramIndicator#getStartEventBoundary`)."""
        events = [b for b in self.boundaries if b.target == "EVENT_DATE"]
        return (next((b for b in events if not b.is_end), None), next((b for b in events if b.is_end), None))


@dataclass
class _Rows:
    """The candidate rows of one indicator for one period, and what the parser needs of each."""

    ids: list[dict[str, str | None]] = field(default_factory=list)
    org_units: list[str] = field(default_factory=list)
    inputs: list[engines.IndicatorRow] = field(default_factory=list)


@dataclass
class _Tables:
    enrollments: dict[str, sqlite3.Row]
    events: dict[str, sqlite3.Row]
    by_enrollment: dict[str, list[sqlite3.Row]]
    values: dict[str, dict[str, str]]
    attributes: dict[str, dict[str, str]]
    value_types: dict[str, str]


def _load(store: Store, program: str) -> _Tables:
    with store.lock:
        conn = store.conn
        enrollments = {r["uid"]: r for r in conn.execute(
            "SELECT * FROM analytics_enrollment WHERE program = ?", (program,))}
        events = {r["uid"]: r for r in conn.execute(
            "SELECT * FROM analytics_event WHERE program = ?", (program,))}
        values: dict[str, dict[str, str]] = defaultdict(dict)
        for r in conn.execute("SELECT v.* FROM analytics_event_value v JOIN analytics_event e "
                              "ON e.uid = v.event WHERE e.program = ?", (program,)):
            values[r["event"]][r["data_element"]] = r["value"]
        attributes: dict[str, dict[str, str]] = defaultdict(dict)
        for r in conn.execute("SELECT * FROM analytics_te_value"):
            attributes[r["te"]][r["attribute"]] = r["value"]
    by_enrollment: dict[str, list[sqlite3.Row]] = defaultdict(list)
    for ev in events.values():
        if ev["enrollment"]:
            by_enrollment[ev["enrollment"]].append(ev)
    types = {d["id"]: str(d.get("valueType") or "TEXT")
             for plural in ("dataElements", "trackedEntityAttributes")
             for d in store.list_objects(plural)}
    return _Tables(enrollments, events, by_enrollment, values, attributes, types)


def _typed(value: str | None, value_type: str) -> Any:
    """A value as the analytics tables hold it: numbers and booleans (1/0) as numbers."""
    if value is None:
        return None
    if value_type in NUMERIC:
        try:
            return float(value)
        except ValueError:
            return None
    if value_type in BOOLEAN:
        # the table column is `case when … = 'true' then 1 when … = 'false' then 0 else null`:
        # exact text, so a 'TRUE' the import let through reads as no value
        return {"true": 1.0, "false": 0.0}.get(value)
    return value


def check(indicator: Indicator) -> None:
    """Refuse what the sandbox does not compute, before computing anything."""
    if indicator.analytics_type not in ("EVENT", "ENROLLMENT"):
        raise IndicatorError(f"analyticsType {indicator.analytics_type}")
    if indicator.aggregation not in AGGREGATIONS:
        raise IndicatorError(f"aggregationType {indicator.aggregation} of program indicator {indicator.uid}")
    for text in (indicator.expression, indicator.filter or ""):
        for name in _VARIABLE.findall(text):
            if name not in VARIABLES:
                raise IndicatorError(f"V{{{name}}} in program indicator {indicator.uid}")
        for token in re.findall(r"\b([CIR]|D|PS_EVENTDATE)\{", text):
            raise IndicatorError(f"{token}{{…}} in program indicator {indicator.uid}")
    for b in indicator.boundaries:
        if b.target not in ("EVENT_DATE", "ENROLLMENT_DATE", "INCIDENT_DATE") and b.stage is None:
            raise IndicatorError(f"boundary target {b.target} of program indicator {indicator.uid}")
        if b.stage is not None and indicator.analytics_type != "ENROLLMENT":
            raise IndicatorError(f"PS_EVENTDATE boundary on event indicator {indicator.uid}")


def _stand_ins(text: str) -> tuple[str, list[tuple[str, str, str | None, str | None, str | None]]]:
    """Replace the subquery functions by stand-in data items `#{zzSubqNNNN.element}`."""
    found: list[tuple[str, str, str | None, str | None, str | None]] = []

    def swap(m: re.Match[str]) -> str:
        key = f"zzSubq{len(found):05d}"
        found.append((key, m[1], m[2] or m[4], m[3], m[5]))
        return f"#{{{key}.{m[3] or 'PSEVENTDATE'}}}"

    return _SUBQUERY.sub(swap, text), found


def _rendered_boundaries(ind: Indicator) -> tuple[Boundary, ...]:
    """The boundaries whose dates the query's SQL holds whatever rows there are, so a date Joda
    refuses fails the query even without data: an event indicator's every boundary
    (`EventTimeFieldSqlRenderer#getConditionForNonDefaultBoundaries`), an enrollment indicator's
    cohort and `PS_EVENTDATE:` ones (`EnrollmentTimeFieldSqlRenderer#getConditionForNonDefaultBoundaries`
    and `#getProgramIndicatorEventInProgramStageSql`; 2.41.9, 2.42.5, 2.43.1 alike). Its
    EVENT_DATE ones are rendered by the expression's event items and are dated here as rows are
    read."""
    if ind.analytics_type == "EVENT":
        return ind.boundaries
    return tuple(b for b in ind.boundaries if b.target != "EVENT_DATE")


def _in(b: Boundary | None, value: str | None, p: Period) -> bool:
    return b is None or b.holds(value, p.start, p.end)


def _subquery(kind: str, stage: str, element: str | None, literal: str | None, events: list[sqlite3.Row],
              t: _Tables, window: tuple[Boundary | None, Boundary | None], p: Period) -> Any:
    picked = [e for e in events if e["stage"] == stage and _in(window[0], e["occurred"], p)
              and _in(window[1], e["occurred"], p)]
    if element is None:  # PS_EVENTDATE:stage
        dates = sorted(e["occurred"] for e in picked if e["occurred"])
        if kind not in ("minValue", "maxValue"):
            raise IndicatorError(f"d2:{kind}(PS_EVENTDATE:…)")
        return (dates[0] if kind == "minValue" else dates[-1]) if dates else None
    vals = [_typed(t.values.get(e["uid"], {}).get(element), t.value_types.get(element, "TEXT")) for e in picked]
    vals = [v for v in vals if v is not None]
    if kind == "count":
        return float(len(vals))
    if kind == "countIfValue":
        if literal is None:
            raise IndicatorError("d2:countIfValue without a value")
        want: Any = literal.strip("'") if literal.startswith("'") else float(literal)
        return float(sum(1 for v in vals if v == want))
    numbers = [v for v in vals if isinstance(v, float)]
    if not numbers:
        return None
    return min(numbers) if kind == "minValue" else max(numbers)


def _latest(stage: str, element: str, events: list[sqlite3.Row], t: _Tables,
            window: tuple[Boundary | None, Boundary | None], p: Period) -> Any:
    picked = [e for e in events if e["stage"] == stage and element in t.values.get(e["uid"], {})
              and _in(window[0], e["occurred"], p) and _in(window[1], e["occurred"], p)]
    picked.sort(key=lambda e: e["occurred"] or "", reverse=True)
    return _typed(t.values[picked[0]["uid"]][element], t.value_types.get(element, "TEXT")) if picked else None


def _functions(values: dict[str, Any], variables: dict[str, Any],
               funcs: list[row_functions.StandIn]) -> None:
    """Fill in each `d2:hasValue` / `d2:monthsBetween` stand-in from the row's items and variables."""

    def resolve(arg: str) -> Any:
        if arg.startswith("V{"):
            return variables.get(arg[2:-1])
        if arg.startswith("A{"):
            return values.get(f"ATTRIBUTE:{arg[2:-1]}")
        return values.get(f"DATA_ELEMENT:{arg[2:-1]}")

    for f in funcs:
        values[f.item] = row_functions.value(f, resolve)


def _rows(ind: Indicator, t: _Tables, p: Period, texts: list[str],
          subs: list[tuple[str, str, str | None, str | None, str | None]],
          funcs: list[row_functions.StandIn]) -> _Rows:
    out = _Rows()
    window = ind.event_boundaries()
    cohort = [b for b in ind.boundaries if b.target != "EVENT_DATE" and b.stage is None]
    stages: dict[str, list[Boundary]] = defaultdict(list)
    for b in ind.boundaries:
        if b.stage is not None:
            stages[b.stage].append(b)
    found = {(m[0], m[1], m[2]) for text in texts for m in _ITEM.findall(text)} | row_functions.arguments(funcs)
    items = {item for item in found if not item[1].startswith(_STAND_IN)}
    period_vars = {"analytics_period_start": p.start.isoformat(), "analytics_period_end": p.end.isoformat()}
    if ind.analytics_type == "ENROLLMENT":
        for en in t.enrollments.values():
            column = {"ENROLLMENT_DATE": en["enrollment_date"], "INCIDENT_DATE": en["incident_date"]}
            if not all(b.holds(column[b.target], p.start, p.end) for b in cohort):
                continue
            events = t.by_enrollment.get(en["uid"], [])
            if not all(any(e["stage"] == s and all(b.holds(e["occurred"], p.start, p.end) for b in bs)
                           for e in events) for s, bs in stages.items()):
                continue
            values: dict[str, Any] = {}
            for key, kind, stage, element, literal in subs:
                values[f"DATA_ELEMENT:{key}.{element or 'PSEVENTDATE'}"] = _subquery(
                    kind, stage or "", element, literal, events, t, window, p)
            for sigil, a, element in items:
                if sigil == "A":
                    raw = t.attributes.get(en["te"] or "", {}).get(a)
                    values[f"ATTRIBUTE:{a}"] = _typed(raw, t.value_types.get(a, "TEXT"))
                else:
                    values[f"DATA_ELEMENT:{a}.{element}"] = _latest(a, element, events, t, window, p)
            variables = {**period_vars, "enrollment_status": en["status"],
                         "enrollment_date": en["enrollment_date"], "incident_date": en["incident_date"],
                         "enrollment_count": 1, "tei_count": 1}
            _functions(values, variables, funcs)
            out.ids.append({"enrollment": en["uid"], "te": en["te"], "event": None})
            out.org_units.append(en["org_unit"] or "")
            out.inputs.append(engines.IndicatorRow(items=values, variables=variables))
        return out
    for ev in t.events.values():
        enrollment = t.enrollments.get(ev["enrollment"] or "")
        column = {"EVENT_DATE": ev["occurred"],
                  "ENROLLMENT_DATE": enrollment["enrollment_date"] if enrollment else None,
                  "INCIDENT_DATE": enrollment["incident_date"] if enrollment else None}
        if not all(b.holds(column[b.target], p.start, p.end) for b in ind.boundaries):
            continue
        own = t.values.get(ev["uid"], {})
        org_unit = ev["org_unit"]
        if ind.org_unit_field:
            org_unit = own.get(ind.org_unit_field)
            if not org_unit:
                continue
        events = t.by_enrollment.get(ev["enrollment"] or "", [])
        values = {}
        for key, kind, stage, element, literal in subs:
            values[f"DATA_ELEMENT:{key}.{element or 'PSEVENTDATE'}"] = _subquery(
                kind, stage or "", element, literal, events, t, window, p)
        for sigil, a, element in items:
            if sigil == "A":
                raw = t.attributes.get(ev["te"] or "", {}).get(a)
                values[f"ATTRIBUTE:{a}"] = _typed(raw, t.value_types.get(a, "TEXT"))
            else:
                values[f"DATA_ELEMENT:{a}.{element}"] = (
                    _typed(own.get(element), t.value_types.get(element, "TEXT")) if ev["stage"] == a else None)
        variables = {
            **period_vars, "event_date": ev["occurred"], "program_stage_id": ev["stage"],
            "event_status": ev["status"],
            "enrollment_status": enrollment["status"] if enrollment else None,
            "enrollment_date": enrollment["enrollment_date"] if enrollment else None,
            "event_count": 1, "enrollment_count": 1, "tei_count": 1}
        _functions(values, variables, funcs)
        out.ids.append({"enrollment": ev["enrollment"], "te": ev["te"], "event": ev["uid"],
                        "status": ev["status"]})
        out.org_units.append(org_unit)
        out.inputs.append(engines.IndicatorRow(items=values, variables=variables))
    return out


@dataclass
class Evaluated:
    """Per indicator and period: each kept row's org unit, ids and value."""

    rows: dict[tuple[str, str], list[tuple[str, dict[str, str | None], Any]]] = field(default_factory=dict)


def evaluate(store: Store, indicators: list[Indicator], periods: list[Period]) -> Evaluated:
    for ind in indicators:
        check(ind)
    tables: dict[str, _Tables] = {}
    jobs: list[engines.IndicatorJob] = []
    pending: list[tuple[Indicator, Period, _Rows]] = []
    for ind in indicators:
        t = tables.get(ind.program) or tables.setdefault(ind.program, _load(store, ind.program))
        expression, subs_e = _stand_ins(ind.expression)
        flt, subs_f = _stand_ins(ind.filter or "true")
        # Stand-ins are numbered per text: give the filter's their own numbers.
        offset = len(subs_e)
        renumbered = []
        for i, (key, kind, stage, element, literal) in enumerate(subs_f):
            new = f"zzSubq{offset + i:05d}"
            flt = flt.replace(f"#{{{key}.", f"#{{{new}.", 1)
            renumbered.append((new, kind, stage, element, literal))
        subs = subs_e + renumbered
        try:
            expression, funcs_e = row_functions.replace(expression, "zzFnE")
            flt, funcs_f = row_functions.replace(flt, "zzFnF")
        except row_functions.RowFunctionError as exc:
            raise IndicatorError(f"{exc} in program indicator {ind.uid}") from None
        for p in periods:
            try:
                for b in _rendered_boundaries(ind):
                    b.date(p.start, p.end)
                rows = _rows(ind, t, p, [expression, flt], subs, funcs_e + funcs_f)
            except BoundaryError as exc:
                raise IndicatorError(f"{exc} in program indicator {ind.uid}") from None
            pending.append((ind, p, rows))
            job_id = f"{ind.uid}/{p.iso}"
            jobs.append(engines.IndicatorJob(id=f"{job_id}/filter", expression=flt, rows=rows.inputs))
            if ind.expression not in COUNT_VARIABLES:
                jobs.append(engines.IndicatorJob(id=f"{job_id}/value", expression=expression, rows=rows.inputs))
    answer = {r.id: r for r in engines.run_engines(indicators=jobs).indicators} if jobs else {}
    out = Evaluated()
    for ind, p, rows in pending:
        job_id = f"{ind.uid}/{p.iso}"
        kept = answer[f"{job_id}/filter"]
        if not kept.ok:
            raise IndicatorError(f"filter of program indicator {ind.uid}: {kept.error}")
        valued = answer.get(f"{job_id}/value")
        if valued is not None and not valued.ok:
            raise IndicatorError(f"expression of program indicator {ind.uid}: {valued.error}")
        result = []
        for i, keep in enumerate(kept.values):
            if keep is True:
                value = valued.values[i] if valued is not None else 1
                result.append((rows.org_units[i], rows.ids[i], value))
        out.rows[(ind.uid, p.iso)] = result
    return out


def aggregate(ind: Indicator, rows: list[tuple[str, dict[str, str | None], Any]]) -> float | None:
    """One figure from the kept rows of one org unit and period (None: no row, as DHIS2 omits it)."""
    if ind.expression == "V{event_count}":
        # vEventCount: `case when eventstatus in ('ACTIVE', 'COMPLETED') then 1 end` per event
        # (2.41.9 `psistatus`), then the indicator's aggregation: a scheduled event is no 1
        ones = [1.0 for _, ids, _ in rows if ids.get("status") in ("ACTIVE", "COMPLETED")]
        if not ones:
            return None
        return float(len(ones)) if ind.aggregation in ("COUNT", "SUM") else 1.0
    if ind.expression in COUNT_VARIABLES:
        column = COUNT_VARIABLES[ind.expression]
        distinct = {str(ids[column]) for _, ids, _ in rows if ids[column]}
        if not distinct:
            return None
        if ind.aggregation in ("MIN", "MAX"):  # a uid (TEXT_COUNTS; event_count is handled above)
            pick = min if ind.aggregation == "MIN" else max
            raise UnreadableValue(pick(distinct, key=_collation_key))
        return float(len(distinct))
    values = [v for _, _, v in rows if v is not None]
    if ind.aggregation == "COUNT":
        return float(len(values)) if values else None
    numbers = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if not numbers:
        return None
    if ind.aggregation == "SUM":
        return sum(numbers)
    if ind.aggregation == "AVERAGE":
        return sum(numbers) / len(numbers)
    return min(numbers) if ind.aggregation == "MIN" else max(numbers)


def today() -> date:
    return date.today()
