"""What a server has installed compared with this package, and what changed there by hand.

Drift is judged against what the installed version deployed: the record keeps, per object,
the hash of the server's object just after the deploy and the hash of the object as the
package shipped it. Through another package, an object that package ships unchanged is seen
through the same properties, so its drift is known; an object it ships changed is counted as
drift unknown, never reported as drift it cannot see. A deploy that was cut off between its
first write and its last is reported as such, not as "not installed" or as hand edits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from scdi.connector.client import Dhis2Client
from scdi.connector.metadata.diff import content_hash, fetch_server_objects, package_objects, server_hashes
from scdi.connector.metadata.installed import InstalledRecord, checksum, read_marker, read_record, version_key

Relation = Literal["not-installed", "same", "same-version-different-content", "upgrade", "server-newer",
                   "other-package"]


class DriftedObject(BaseModel):
    type: str
    uid: str
    name: str | None = None
    state: Literal["changed", "missing"]


class InterruptedDeploy(BaseModel):
    version: str
    step: str
    started_at: str
    started_by: str


class Drift(BaseModel):
    """Objects changed on the server since the installed version was deployed."""

    objects: list[DriftedObject] = Field(default_factory=list)
    unknown: int = 0  # objects whose drift cannot be judged through this package


class StatusReport(BaseModel):
    package_code: str
    package_version: str
    package_checksum: str
    installed_code: str | None = None
    installed_version: str | None = None
    installed_checksum: str | None = None
    installed_at: str | None = None
    installed_by: str | None = None
    relation: Relation
    drift: list[DriftedObject] = Field(default_factory=list)
    drift_unknown: int = 0
    interrupted: InterruptedDeploy | None = None

    @property
    def ok(self) -> bool:
        """The server has exactly this package, untouched, and no deploy was cut off (what
        `status --exit-code` answers 0 for)."""
        return self.relation == "same" and not self.drift and not self.interrupted and not self.drift_unknown

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def drift_of(client: Dhis2Client, pkg: Mapping[str, Any], record: InstalledRecord,
             server: Mapping[str, Mapping[str, dict[str, Any]]] | None = None) -> Drift:
    """Hand edits since the recorded deploy, on the objects this package ships. `server`: the
    server's objects when the caller has them already."""
    drift = Drift()
    if record.code != str((pkg.get("package") or {}).get("code", "")):
        drift.unknown = sum(len(h) for h in record.objects.values())
        return drift
    exact = record.checksum == checksum(dict(pkg))
    shipped = {(p, o["id"]): o for p, objs in package_objects(pkg).items() for o in objs}
    comparable: dict[str, list[str]] = {}
    for plural, hashes in record.objects.items():
        for uid in hashes:
            obj = shipped.get((plural, uid))
            if obj is None:
                continue
            if not exact and record.package_objects.get(plural, {}).get(uid) != content_hash(obj, None, plural):
                drift.unknown += 1
                continue
            comparable.setdefault(plural, []).append(uid)
    if server is None:
        server = fetch_server_objects(client, comparable)
    now = server_hashes(pkg, {p: {u: o for u, o in server.get(p, {}).items() if u in uids}
                              for p, uids in comparable.items()}, client.release.minor)
    for plural, uids in sorted(comparable.items()):
        for uid in sorted(uids):
            current = now.get(plural, {}).get(uid)
            if current == record.objects[plural][uid]:
                continue
            obj = shipped[(plural, uid)]
            drift.objects.append(DriftedObject(type=plural, uid=uid, name=obj.get("name") or obj.get("code"),
                                               state="missing" if current is None else "changed"))
    return drift


def status(client: Dhis2Client, pkg: Mapping[str, Any]) -> StatusReport:
    client.release  # noqa: B018 - a server outside the supported window (or not DHIS2) stops here
    block = pkg.get("package") if isinstance(pkg.get("package"), dict) else {}
    version = str((block or {}).get("version", ""))
    code = str((block or {}).get("code", ""))
    sum_ = checksum(dict(pkg))
    record = read_record(client)
    marker = read_marker(client)
    report = StatusReport(package_code=code, package_version=version, package_checksum=sum_,
                          relation="not-installed")
    if marker is not None and marker.interrupted:
        report.interrupted = InterruptedDeploy(version=marker.version, step=marker.step,
                                               started_at=marker.started_at, started_by=marker.started_by)
    if record is None:
        return report
    report.installed_code = record.code
    report.installed_version, report.installed_checksum = record.version, record.checksum
    report.installed_at, report.installed_by = record.installed_at, record.installed_by
    if record.code != code:
        report.relation = "other-package"
    elif record.version == version:
        report.relation = "same" if record.checksum == sum_ else "same-version-different-content"
    else:
        report.relation = "upgrade" if version_key(version) > version_key(record.version) else "server-newer"
    drift = drift_of(client, pkg, record)
    report.drift, report.drift_unknown = drift.objects, drift.unknown
    return report
