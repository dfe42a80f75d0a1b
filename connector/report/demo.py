"""The reports part of `scdi demo`: the figures of the group the sync step pushed, first as the
server's analytics shows them before its tables are refreshed (nothing yet), then after the
refresh as a leader reads them (program indicators), then, after the aggregate data exchange
ran (`scdi report publish`), as officials read them from the aggregate data of the group's
commune, which must show the same numbers. Aggregates only: no member value is shown.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import InputError
from scdi.connector.report.publish import publish
from scdi.connector.report.query import ReportRequest, ReportResult, run_report
from scdi.connector.report.refresh import refresh_analytics
from scdi.connector.roster.contract import default_package


class ReportDemoStep(BaseModel):
    name: str = "reports"
    ok: bool
    summary: str
    details: list[str] = Field(default_factory=list)


def _values(result: ReportResult) -> dict[str, float]:
    return {f.code: f.value for f in result.figures}


def _number(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".") if value.is_integer() else f"{value:,.2f}"


def demo_report(client: Dhis2Client, group: str, year: int) -> ReportDemoStep:
    package = default_package()
    found = client.get("organisationUnits", params={"filter": f"code:eq:{group}", "fields": "id,parent[id]",
                                                    "paging": "false"}).get("organisationUnits") or []
    if not found:
        raise InputError(f"no org unit with code {group} on the server", hint="Run the groups step first.")
    commune = str(found[0]["parent"]["id"])
    leader = ReportRequest(periods=[str(year)], group=group, lang="vi")
    before = _values(run_report(client, package, leader))
    refresh_analytics(client)
    shown = run_report(client, package, leader)
    months = [f"{year}{m:02d}" for m in range(1, 13)]
    published = publish(client, [str(year), *months])
    refresh_analytics(client)
    official = _values(run_report(client, package, ReportRequest(
        periods=[str(year)], org_units=[commune], lang="vi", source="aggregates")))
    figures = _values(shown)
    same = [code for code in figures if official.get(code) == figures[code]]
    details = [f"before the analytics tables are refreshed: {sum(1 for v in before.values() if v)} figures "
               "with a value (stale, as on a real server)"]
    details += [f"  {f.label}: {_number(f.value)}" for f in shown.figures]
    details.append(f"scdi report publish: {published.written} values written by the aggregate data exchange "
                   f"({', '.join(f'{r.name} {r.status}' for r in published.requests)})")
    details.append(f"officials (aggregate data of the commune): {len(same)} of {len(figures)} figures the same")
    ok = not any(before.values()) and any(figures.values()) and len(same) == len(figures)
    return ReportDemoStep(ok=ok, summary=f"{group} {year}: {sum(1 for v in figures.values() if v)} of "
                          f"{len(figures)} field figures with a value, the same for officials after the exchange",
                          details=details)
