"""The provisioning step of `scdi demo`: a few of the field's groups onto a server that has the package.

Four groups as the field names them (two of the seeds' named clubs, "Kết nối thành công" in
Hải Phòng and "Vượt sóng" in Vân Đồn, Quảng Ninh; a counselling point under its old province
Bắc Giang; an outreach team in Hà Nội), written the way registries write places, on either
tree (Đặc khu Vân Đồn since 1 July 2025, Huyện Vân Đồn / Thị trấn Cái Rồng before). A dry run
first, then the real run, then again (0 write requests); then one provisioned leader signs in
with the temporary password and the step keeps what that account sees: its org units, its
group's record, and the programs and forms its phone downloads (`scdi.connector.views`).
Synthetic data only; no password shown.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.provision.columns import COLUMNS
from scdi.connector.provision.run import provision
from scdi.connector.provision.tree import read_tree
from scdi.connector.views import LeaderView, leader_view

LEADER = "hp.kntc"  # the leader of the seeds' "Kết nối thành công" club, who signs in

CURRENT = [
    ["HP-KNTC", "Câu lạc bộ Kết nối thành công", "Câu lạc bộ", "Hải Phòng", "", "P. Hồng Bàng", "PCTNXH",
     "15/03/2014", "hp.kntc", "", "", "Có"],
    ["QN-VUOTSONG", "Câu lạc bộ Vượt sóng", "CLB", "Quảng Ninh", "Vân Đồn", "Đặc khu Vân Đồn", "PCTNXH",
     "01/09/2015", "qn.vuotsong", "", "", "Có"],
    ["BG-LUCNAM-DTV", "Điểm tư vấn Lục Nam", "Điểm tư vấn", "Bắc Giang", "Huyện Lục Nam", "Xa Luc Nam",
     "LĐTB&XH", "2015-05-01", "bg.lucnam", "", "", "Có"],
    ["HN-SOCSON-TTV", "Tổ tư vấn, tiếp cận cộng đồng Sóc Sơn", "Outreach team", "TP Hà Nội", "", "Sóc Sơn",
     "Trung tâm cai nghiện", "2016-02-01", "hn.socson", "", "", "Có"],
]
LEGACY_PLACES = {  # the same groups on a server with the tree before 1 July 2025
    "HP-KNTC": ("Hải Phòng", "Quận Hồng Bàng", "P. Minh Khai"),
    "QN-VUOTSONG": ("Quảng Ninh", "Huyện Vân Đồn", "Thị trấn Cái Rồng"),
    "BG-LUCNAM-DTV": ("Bắc Giang", "Lục Nam", "TT Đồi Ngô"),
    "HN-SOCSON-TTV": ("TP Hà Nội", "H. Sóc Sơn", "Thị trấn Sóc Sơn"),
}


class DemoStep(BaseModel):
    name: str = "groups"
    ok: bool
    summary: str
    details: list[str] = Field(default_factory=list)
    leader: str | None = None  # the provisioned leader who signed in
    leader_view: LeaderView | None = Field(default=None, exclude=True)  # what that leader's phone downloads


def demo_rows(legacy: bool) -> list[list[str]]:
    rows = [list(r) for r in CURRENT]
    if legacy:
        for row in rows:
            row[3], row[4], row[5] = LEGACY_PLACES[row[0]]
    return rows


def demo_groups(client: Dhis2Client, *, today: dt.date | None = None) -> DemoStep:
    legacy = read_tree(client).roles.district is not None
    details: list[str] = [f"org unit tree: {'before' if legacy else 'after'} the 2025 reform"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nhom.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([c.vi for c in COLUMNS])
            writer.writerows(demo_rows(legacy))
        dry = provision(client, path, dry_run=True, today=today)
        counts = dry.plan.counts
        details.append(f"dry run: would create {counts['create']}, {counts['invalid']} invalid, "
                       f"{dry.writes} write requests")
        for finding in dry.plan.all_findings():
            if finding.severity.value != "ERROR":
                details.append(f"  row {finding.row}: {finding.message}")
                continue
            details.append(f"  row {finding.row} {finding.column}: {finding.message}")
            details += [f"    candidate: {c.path} [{c.code or c.uid}]" for c in finding.candidates]
        first = provision(client, path, today=today)
        again = provision(client, path, today=today)
    created = first.plan.counts["create"]
    stats = ", ".join(f"{k} {v}" for k, v in first.imported.get("metadata", {}).items() if v and k != "total")
    details.append(f"provision: created {created} groups in {first.writes} write requests"
                   + (f" (metadata objects: {stats})" if stats else ""))
    for group in first.plan.groups:
        details.append(f"  {group.group_code}: {group.path} / {group.group_name} — leader {group.leader}")
    details.append(f"provision again: {again.writes} write requests ({again.plan.counts['unchanged']} unchanged)")
    leader_ok, lines, phone = _leader_view(client, first)
    details += lines
    there = first.plan.counts["unchanged"] + first.plan.counts["update"]
    ok = first.plan.counts["invalid"] == 0 and again.writes == 0 and leader_ok
    return DemoStep(ok=ok, summary=f"{created} groups provisioned (org units, programs, records, user groups, "
                    f"leaders){f', {there} already there' if there else ''}; second run: {again.writes} write "
                    "requests", details=details, leader=LEADER if phone else None, leader_view=phone)


def _leader_view(client: Dhis2Client, report: Any) -> tuple[bool, list[str], LeaderView | None]:
    credential = next((c for c in report.credentials if c.username == LEADER), None)
    if credential is None:
        return True, [f"{LEADER}'s account was already there: its password is not known to this run"], None
    settings = ServerSettings(base_url=client.base_url, username=credential.username, password=credential.password)
    with Dhis2Client(settings) as leader:
        me = leader.get("me", params={"fields": "username,organisationUnits[id],teiSearchOrganisationUnits[id]"})
        tree = read_tree(client)
        capture = [tree.path_names(tree.units[r["id"]]) for r in me.get("organisationUnits", []) if r["id"] in
                   tree.units]
        search = [tree.units[r["id"]].name for r in me.get("teiSearchOrganisationUnits", []) if r["id"] in tree.units]
        lines = [f"leader {LEADER} signs in with the temporary password (not shown): captures in "
                 f"{', '.join(capture)}; searches in {', '.join(search)}"]
        count = sum(1 for _ in leader.items("tracker/trackedEntities", params={
            "program": _group_program(client), "orgUnitMode": "CAPTURE", "fields": "trackedEntity"}))
        lines.append(f"the leader sees {count} Peer group record (their own group)")
        phone = leader_view(leader, capture_only=True)
    return bool(capture) and count == 1 and bool(phone.programs), lines, phone


def _group_program(client: Dhis2Client) -> str:
    found = client.get("programs", params={"filter": "code:eq:SCDI_GROUP", "fields": "id"})["programs"]
    return str(found[0]["id"])
