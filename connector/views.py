"""What the people the package is for find on a server, read back as values.

* `leader_view`: the programs and forms Android Capture downloads for a group leader, with
  the Vietnamese names the phone shows;
* `official_view`: the dashboards an official opens in DHIS2's Dashboard app, and the program
  indicators behind them.

Both read only objects of the package (codes starting `SCDI_`), page by page.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from scdi.connector.client import Dhis2Client

OWN_CODES = "code:like:SCDI_"
LOCALE = "vi"


def vietnamese(obj: dict[str, Any], prop: str = "NAME") -> str:
    """An object's Vietnamese translation of `prop`, or its base name when it has none."""
    for item in obj.get("translations") or []:
        if isinstance(item, dict) and item.get("locale") == LOCALE and item.get("property") == prop:
            return str(item.get("value"))
    return str(obj.get("name", ""))


class StageView(BaseModel):
    uid: str
    name: str
    repeatable: bool = False


class ProgramView(BaseModel):
    uid: str
    code: str
    name: str
    stages: list[StageView] = Field(default_factory=list)


class LeaderView(BaseModel):
    programs: list[ProgramView] = Field(default_factory=list)


class DashboardView(BaseModel):
    uid: str
    code: str
    name: str
    items: int


class OfficialView(BaseModel):
    dashboards: list[DashboardView] = Field(default_factory=list)
    program_indicators: int = 0


def leader_view(client: Dhis2Client, *, capture_only: bool = False) -> LeaderView:
    """The package's programs the signed-in user can read. `capture_only`: those a phone signed
    in as this user downloads, the programs assigned to the user's capture org units that the
    user has data access to (`/api/me` `organisationUnits` and `programs`)."""
    filters = [OWN_CODES]
    allowed: set[str] | None = None
    if capture_only:
        me = client.get("me", params={"fields": "organisationUnits[id],programs"}) or {}
        units = sorted(str(u["id"]) for u in me.get("organisationUnits") or [] if isinstance(u, dict))
        if not units:
            return LeaderView()
        filters.append(f"organisationUnits.id:in:[{','.join(units)}]")
        allowed = {str(p) for p in me.get("programs") or []}
    params = {"filter": filters, "fields": "id,code,name,translations,programStages[id,name,translations,repeatable]"}
    programs = [
        ProgramView(
            uid=str(p.get("id", "")), code=str(p.get("code", "")), name=vietnamese(p),
            stages=[StageView(uid=str(s.get("id", "")), name=vietnamese(s), repeatable=bool(s.get("repeatable")))
                    for s in p.get("programStages") or [] if isinstance(s, dict)],
        )
        for p in client.items("programs", params=params)
        if allowed is None or p.get("id") in allowed
    ]
    return LeaderView(programs=sorted(programs, key=lambda p: p.code))


def official_view(client: Dhis2Client) -> OfficialView:
    params = {"filter": OWN_CODES, "fields": "id,code,name,translations,dashboardItems[id]"}
    dashboards = [
        DashboardView(uid=str(d.get("id", "")), code=str(d.get("code", "")), name=vietnamese(d),
                      items=len(d.get("dashboardItems") or []))
        for d in client.items("dashboards", params=params)
    ]
    indicators = sum(1 for _ in client.items("programIndicators", params={"filter": OWN_CODES, "fields": "id"}))
    return OfficialView(dashboards=sorted(dashboards, key=lambda d: d.code), program_indicators=indicators)


__all__ = [
    "DashboardView",
    "LeaderView",
    "OfficialView",
    "ProgramView",
    "StageView",
    "leader_view",
    "official_view",
    "vietnamese",
]
