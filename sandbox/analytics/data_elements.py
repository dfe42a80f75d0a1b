"""Aggregate data elements in `GET /api/analytics`: `dx:<data element>` (every category option
combo) and `dx:<data element>.<category option combo>` (an operand), read from
`analytics_data_value` as the last refresh left it (`tables.py`).

A data value counts for a query period when its own period lies inside it (data is aggregated
up from finer periods, never split from coarser ones) and for an org unit when it was entered
there or below (`analytics/data/JdbcAnalyticsManager`). Aggregation (`analytics/AggregationType`,
`AnalyticsAggregationType`): SUM sums over periods and org units; LAST takes, per org unit, option
combo and attribute option combo, the value of the latest period that has one up to the end of the query period, as far
back as ten years, then sums over org units (`aggregate`). Any other aggregation type is
refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from scdi.sandbox.analytics import orgunits
from scdi.sandbox.analytics.periods import STORED, Period, PeriodError, parse_iso
from scdi.sandbox.core.store import Store

SUPPORTED = ("SUM", "LAST")


class DataElementError(ValueError):
    """A data element the sandbox's analytics cannot aggregate."""


@dataclass(frozen=True)
class Item:
    uid: str  # as asked: "DE" or "DE.COC"
    element: str
    coc: str | None
    name: str
    code: str | None
    aggregation: str
    value_type: str = "NUMBER"
    short_name: str | None = None

    @property
    def item_type(self) -> str:
        return "DATA_ELEMENT_OPERAND" if self.coc else "DATA_ELEMENT"


def item(store: Store, uid: str) -> Item | None:
    """The data element or operand a dx item names, or None."""
    element, _, coc = uid.partition(".")
    de = store.get_object("dataElements", element)
    if de is None or str(de.get("domainType") or "AGGREGATE") != "AGGREGATE":
        return None
    name = str(de.get("name") or element)
    short_name = de.get("shortName")
    if coc:
        combo = store.get_object("categoryOptionCombos", coc)
        if combo is None:
            return None
        # DataElementOperand#getDisplayName: the combo's name only when it is not the default
        # (`CategoryOptionCombo#isDefault`, a combo named "default" at 2.42.5 and 2.43.1; 2.41.9
        # asks its category combo's name, the same for the default combo); the short name of
        # an operand is not modelled
        if combo.get("name") != "default":
            name = f"{name} {combo.get('name') or coc}"
        short_name = None
    aggregation = str(de.get("aggregationType") or "SUM")
    if aggregation not in SUPPORTED:
        raise DataElementError(f"aggregation type {aggregation} of data element {element}")
    return Item(uid, element, coc or None, name, de.get("code"), aggregation,
                simplified(str(de.get("valueType") or "NUMBER")), short_name)


_SIMPLIFIED = {
    **dict.fromkeys(("INTEGER", "INTEGER_POSITIVE", "INTEGER_NEGATIVE", "INTEGER_ZERO_OR_POSITIVE",
                     "NUMBER", "UNIT_INTERVAL", "PERCENTAGE"), "NUMBER"),
    **dict.fromkeys(("BOOLEAN", "TRUE_ONLY"), "BOOLEAN"),
    **dict.fromkeys(("DATE", "DATETIME", "AGE"), "DATE"),
    **dict.fromkeys(("FILE_RESOURCE", "IMAGE"), "FILE_RESOURCE"),
    **dict.fromkeys(("COORDINATE", "GEOJSON"), "COORDINATE"),
    "MULTI_TEXT": "MULTI_TEXT",
}


def simplified(value_type: str) -> str:
    """`ValueType#toSimplifiedValueType` (the same at 2.41.9, 2.42.5 and 2.43.1), the value
    type `MetadataItem` gives a data element or operand."""
    return _SIMPLIFIED.get(value_type, "TEXT")


def _rows(store: Store, items: Iterable[Item]) -> dict[str, list[Any]]:
    wanted = {i.element for i in items}
    out: dict[str, list[Any]] = {e: [] for e in wanted}
    with store.lock:
        found = store.conn.execute("SELECT * FROM analytics_data_value").fetchall()
    for r in found:
        if r["data_element"] in wanted:
            out[r["data_element"]].append(r)
    return out


Row = tuple[Period, str, str, str, float]
"""(period, org unit path, category option combo, attribute option combo, value)"""


def values(store: Store, items: list[Item]) -> dict[str, list[Row]]:
    """Per data element: each of its values in the tables."""
    tree = orgunits.units(store)
    out: dict[str, list[Row]] = {}
    for element, rows in _rows(store, items).items():
        kept = []
        for r in rows:
            try:
                period = parse_iso(r["period"], STORED)
            except PeriodError:
                continue
            unit = tree.get(r["org_unit"])
            kept.append((period, unit.path if unit else f"/{r['org_unit']}", r["coc"], r["aoc"],
                         float(r["value"])))
        out[element] = kept
    return out


def aggregate(it: Item, rows: list[Row], pes: list[Period],
              units: list[orgunits.Unit]) -> float | None:
    """One figure of `it` over the periods and org units (None: no value, as DHIS2 has no row).

    LAST (`AnalyticsAggregationType` SUM over org units, LAST over time) reads, as
    `JdbcAnalyticsManager#getFirstOrLastValueSubquerySql` does, every value whose period starts
    no more than ten years before the latest end of the query periods (`LAST_VALUE_YEARS_OFFSET`)
    and ends by it, keeps per data element, org unit, option combo and attribute option combo
    the one of the latest period (`order by peenddate desc, pestartdate desc`, `pe_rank = 1`),
    and sums those (2.41.9, 2.42.5 and 2.43.1 alike)."""
    mine = [(p, path, coc, aoc, v) for p, path, coc, aoc, v in rows
            if (it.coc is None or coc == it.coc) and any(orgunits.within(path, u) for u in units)]
    if it.aggregation == "LAST":
        latest_end = max(q.end for q in pes)
        earliest = _add_years(latest_end, -10)
        latest: dict[tuple[str, str, str], tuple[Period, float]] = {}
        for p, path, coc, aoc, v in mine:
            if not (earliest <= p.start and p.end <= latest_end):
                continue
            key = (path, coc, aoc)
            if key not in latest or (p.end, p.start) > (latest[key][0].end, latest[key][0].start):
                latest[key] = (p, v)
        return sum(v for _, v in latest.values()) if latest else None
    kept = [v for p, _path, _coc, _aoc, v in mine
            if any(q.start <= p.start and p.end <= q.end for q in pes)]
    return sum(kept) if kept else None


def _add_years(day: date, years: int) -> date:
    """`DateUtils#addYears` (commons-lang `Calendar#add`): 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def option_combos(store: Store, element: str) -> list[dict[str, Any]]:
    """`DataElement#getCategoryOptionCombos`: the option combos of its category combo and of the
    combos its data set elements override it with (the same at 2.41.9, 2.42.5 and 2.43.1)."""
    de = store.get_object("dataElements", element) or {}
    combos = {str((de.get("categoryCombo") or {}).get("id") or "")}
    for ds in store.list_objects("dataSets"):
        for dse in ds.get("dataSetElements") or []:
            if (dse.get("dataElement") or {}).get("id") == element and dse.get("categoryCombo"):
                combos.add(str(dse["categoryCombo"].get("id")))
    return [coc for coc in store.list_objects("categoryOptionCombos")
            if (coc.get("categoryCombo") or {}).get("id") in combos]
