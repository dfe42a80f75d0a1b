"""Ask the server's analytics for figures and read its answer.

One `GET /api/analytics` with `dimension=dx:<indicators>`, `dimension=pe:<periods>` and
`dimension=ou:<org units>` (UIDs, `LEVEL-n`, `USER_ORGUNIT`); DHIS2 leaves out the rows with no
value, which a report shows as 0. Only aggregates are read: no member record is asked for.

With `source="aggregates"` the same figures are read from the aggregate data the package's
exchange wrote (`scdi report publish`): what an official, who may not read the programs, sees on
the officials' dashboards. Figures keep their indicator's code and label either way.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import InputError, ServerError
from scdi.connector.report.figures import FigureDef, Lang, figure_defs


class ReportRequest(BaseModel):
    periods: list[str]
    org_units: list[str] = Field(default_factory=list)  # UIDs; empty: the user's org units
    level: int | None = None
    group: str | None = None  # an org unit code (a provisioned group)
    codes: list[str] = Field(default_factory=list)
    lang: Lang = "vi"
    source: Literal["indicators", "aggregates"] = "indicators"


class Figure(BaseModel):
    code: str
    label: str
    period: str
    org_unit: str
    org_unit_name: str
    value: float


class ReportResult(BaseModel):
    periods: list[str]
    org_units: list[str]
    figures: list[Figure]

    def by_code(self) -> dict[str, dict[str, dict[str, float]]]:
        """`{code: {period: {org unit: value}}}`: the shape `--format json` prints."""
        out: dict[str, dict[str, dict[str, float]]] = {}
        for f in self.figures:
            out.setdefault(f.code, {}).setdefault(f.period, {})[f.org_unit] = f.value
        return out


def _group_unit(client: Dhis2Client, code: str) -> str:
    found = client.get("organisationUnits", params={"filter": f"code:eq:{code}", "fields": "id",
                                                     "paging": "false"})
    units = (found or {}).get("organisationUnits") or []
    if not units:
        raise InputError(f"no org unit with code {code} on the server",
                         hint="Give the code of a provisioned group (see `scdi groups list`).")
    return str(units[0]["id"])


def _ou_items(client: Dhis2Client, request: ReportRequest) -> list[str]:
    roots = list(request.org_units)
    if request.group:
        roots.append(_group_unit(client, request.group))
    items = roots or ["USER_ORGUNIT"]
    if request.level is not None:
        items = [*items, f"LEVEL-{request.level}"]
    return items


def run_report(client: Dhis2Client, package: dict[str, Any], request: ReportRequest) -> ReportResult:
    if not request.periods:
        raise InputError("no period given", hint="Give --period, e.g. 2015 or THIS_YEAR or 2015Q4.")
    defs = figure_defs(package, request.codes or None)
    if request.source == "aggregates":
        missing = [d.code for d in defs if d.aggregate is None]
        if missing:
            raise InputError(f"no aggregate data element is filled from {', '.join(missing)}",
                             hint="Officials read only the figures the aggregate data exchange fills; "
                                  "leave these out or read them as a leader.")
    items = {(d.aggregate if request.source == "aggregates" else d.uid) or d.uid: d for d in defs}
    answer = client.get("analytics", params={
        "dimension": [f"dx:{';'.join(items)}", f"pe:{';'.join(request.periods)}",
                      f"ou:{';'.join(_ou_items(client, request))}"],
        "displayProperty": "NAME",
    })
    return _read(answer, items, request.lang)


def _read(answer: Any, items_asked: dict[str, FigureDef], lang: Lang) -> ReportResult:
    try:
        names = [h["name"] for h in answer["headers"]]
        dims = answer["metaData"]["dimensions"]
        items = answer["metaData"]["items"]
        rows = answer["rows"]
    except (KeyError, TypeError):
        raise ServerError("the server's analytics answer has no headers, rows or metaData") from None
    values: dict[tuple[str, str, str], float] = {}
    for row in rows:
        cells = dict(zip(names, row, strict=False))
        values[(cells["dx"], cells["pe"], cells["ou"])] = float(cells["value"])
    figures = [
        Figure(code=d.code, label=d.label(lang), period=pe, org_unit=ou,
               org_unit_name=str((items.get(ou) or {}).get("name") or ou),
               value=values.get((dx, pe, ou), 0.0))
        for dx, d in items_asked.items() for pe in dims.get("pe", []) for ou in dims.get("ou", [])
    ]
    return ReportResult(periods=list(dims.get("pe", [])), org_units=list(dims.get("ou", [])),
                        figures=figures)
