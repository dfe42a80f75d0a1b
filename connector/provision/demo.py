"""The provisioning step of `scdi demo`: a few of the field's groups onto a server that has the package.

Four groups as the field names them (two of the seeds' named clubs, "Kết nối thành công" in
Hải Phòng and "Vượt sóng" in Vân Đồn, Quảng Ninh; a counselling point under its old province
Bắc Giang; an outreach team in Hà Nội), written the way registries write places. The dry run
shows what happens to a place the server lacks: the sandbox's sample tree has no Vân Đồn, so
that row is reported with candidates and nothing is made for it; the demo then adds the unit
as an administrator would (the real tree has it: Đặc khu Vân Đồn since 1 July 2025, Huyện
Vân Đồn / Thị trấn Cái Rồng before), provisions for real, runs again (0 write requests) and
signs in as one leader to show what the account sees. Synthetic data only; no password shown.
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
from scdi.connector.errors import ServerError
from scdi.connector.provision.columns import COLUMNS
from scdi.connector.provision.plan import derive_uid
from scdi.connector.provision.run import provision
from scdi.connector.provision.server import tracker_items
from scdi.connector.provision.tree import read_tree

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


def demo_rows(legacy: bool) -> list[list[str]]:
    rows = [list(r) for r in CURRENT]
    if legacy:
        for row in rows:
            row[3], row[4], row[5] = LEGACY_PLACES[row[0]]
    return rows


def _add_van_don(client: Dhis2Client, legacy: bool) -> str | None:
    """Add the Vân Đồn unit the sandbox's sample tree lacks, as an administrator would."""
    tree = read_tree(client)
    province = next((u for u in tree.at_level.get(tree.roles.province or 2, []) if "Quảng Ninh" in u.name), None)
    if province is None:
        return None
    below = tree.children.get(province.uid, [])
    wanted = "Huyện Vân Đồn" if legacy else "Đặc khu Vân Đồn"
    if any(u.name == wanted for u in below):
        return None
    district = {"id": derive_uid("demo-ou", wanted), "name": wanted, "shortName": wanted,
                "code": f"{province.code}-VANDON", "openingDate": "1994-01-01", "parent": {"id": province.uid}}
    units: list[dict[str, Any]] = [district]
    if legacy:
        units.append({"id": derive_uid("demo-ou", "Thị trấn Cái Rồng"), "name": "Thị trấn Cái Rồng",
                      "shortName": "Thị trấn Cái Rồng", "code": f"{province.code}-VANDON-CAIRONG",
                      "openingDate": "1994-01-01", "parent": {"id": district["id"]}})
    client.post("metadata", json={"organisationUnits": units}, params={"importStrategy": "CREATE_AND_UPDATE"})
    return " / ".join(u["name"] for u in units)


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
        added = _add_van_don(client, legacy)
        if added:
            details.append(f"an administrator adds {added} (missing from the sandbox's sample tree)")
        first = provision(client, path, today=today)
        again = provision(client, path, today=today)
    created = first.plan.counts["create"]
    stats = ", ".join(f"{k} {v}" for k, v in first.imported.get("metadata", {}).items() if v and k != "total")
    details.append(f"provision: created {created} groups in {first.writes} write requests"
                   + (f" (metadata objects: {stats})" if stats else ""))
    for group in first.plan.groups:
        details.append(f"  {group.group_code}: {group.path} / {group.group_name} — leader {group.leader}")
    details.append(f"provision again: {again.writes} write requests ({again.plan.counts['unchanged']} unchanged)")
    leader_ok, view = _leader_view(client, first)
    details += view
    there = first.plan.counts["unchanged"] + first.plan.counts["update"]
    ok = first.plan.counts["invalid"] == 0 and again.writes == 0 and leader_ok
    return DemoStep(ok=ok, summary=f"{created} groups provisioned (org units, programs, records, user groups, "
                    f"leaders){f', {there} already there' if there else ''}; second run: {again.writes} write "
                    "requests", details=details)


def _leader_view(client: Dhis2Client, report: Any) -> tuple[bool, list[str]]:
    credential = next((c for c in report.credentials if c.username == "hp.kntc"), None)
    if credential is None:
        return True, ["hp.kntc's account was already there: its password is not known to this run"]
    settings = ServerSettings(base_url=client.base_url, username=credential.username, password=credential.password)
    with Dhis2Client(settings) as leader:
        me = leader.get("me", params={"fields": "username,organisationUnits[id],teiSearchOrganisationUnits[id]"})
        tree = read_tree(client)
        capture = [tree.path_names(tree.units[r["id"]]) for r in me.get("organisationUnits", []) if r["id"] in
                   tree.units]
        search = [tree.units[r["id"]].name for r in me.get("teiSearchOrganisationUnits", []) if r["id"] in tree.units]
        lines = [f"leader hp.kntc signs in with the temporary password (not shown): captures in {', '.join(capture)}; "
                 f"searches in {', '.join(search)}"]
        try:
            records = leader.get("tracker/trackedEntities", params={
                "program": _group_program(client), "orgUnitMode": "CAPTURE", "fields": "trackedEntity"})
            count = len(tracker_items(records, "trackedEntities", client.release))
            lines.append(f"the leader sees {count} Peer group record (their own group)")
        except ServerError as exc:
            lines.append(f"reading the group's record as the leader: not yet on the sandbox ({exc.status}; it does "
                         "not yet count UserGroup.users membership for access)")
    return bool(capture), lines


def _group_program(client: Dhis2Client) -> str:
    found = client.get("programs", params={"filter": "code:eq:SCDI_GROUP", "fields": "id"})["programs"]
    return str(found[0]["id"])
