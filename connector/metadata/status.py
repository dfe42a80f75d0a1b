"""What a server has installed compared with this package, and what changed there by hand."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from scdi.connector.client import Dhis2Client
from scdi.connector.metadata.diff import fetch_server_objects, package_objects, server_hashes
from scdi.connector.metadata.installed import checksum, read_record, version_key

Relation = Literal["not-installed", "same", "same-version-different-content", "upgrade", "server-newer"]


class DriftedObject(BaseModel):
    type: str
    uid: str
    name: str | None = None
    state: Literal["changed", "missing"]


class StatusReport(BaseModel):
    package_code: str
    package_version: str
    package_checksum: str
    installed_version: str | None = None
    installed_checksum: str | None = None
    installed_at: str | None = None
    installed_by: str | None = None
    relation: Relation
    drift: list[DriftedObject] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def status(client: Dhis2Client, pkg: Mapping[str, Any]) -> StatusReport:
    block = pkg.get("package") if isinstance(pkg.get("package"), dict) else {}
    version = str((block or {}).get("version", ""))
    sum_ = checksum(dict(pkg))
    record = read_record(client)
    report = StatusReport(package_code=str((block or {}).get("code", "")), package_version=version,
                          package_checksum=sum_, relation="not-installed")
    if record is None:
        return report
    report.installed_version, report.installed_checksum = record.version, record.checksum
    report.installed_at, report.installed_by = record.installed_at, record.installed_by
    if record.version == version:
        report.relation = "same" if record.checksum == sum_ else "same-version-different-content"
    else:
        report.relation = "upgrade" if version_key(version) > version_key(record.version) else "server-newer"
    # Drift: the recorded hash of each installed object against the server's object now, seen
    # through this package's properties (exact when this package is the installed one).
    objects = package_objects(pkg)
    names = {(p, o["id"]): o.get("name") or o.get("code") for p, objs in objects.items() for o in objs}
    wanted = {p: [u for u in hashes if (p, u) in names] for p, hashes in record.objects.items()}
    server = fetch_server_objects(client, {p: u for p, u in wanted.items() if u})
    now = server_hashes(pkg, server, client.release.minor)
    for plural, hashes in sorted(record.objects.items()):
        for uid, recorded in sorted(hashes.items()):
            if (plural, uid) not in names:
                continue
            current = now.get(plural, {}).get(uid)
            if current is None:
                report.drift.append(DriftedObject(type=plural, uid=uid, name=names[(plural, uid)], state="missing"))
            elif current != recorded:
                report.drift.append(DriftedObject(type=plural, uid=uid, name=names[(plural, uid)], state="changed"))
    return report
