"""The installed record: which package version a server has, kept in its datastore.

`GET/PUT /api/dataStore/scdi-groups/installed` holds the version, the checksum of the package
file, when and by whom it was deployed, a content hash per object (to see hand edits later)
and the Android Settings App keys the package owns. DHIS2's own metadata versioning is for
syncing instances, not for packages, so the record is ours.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from scdi.connector.client import Dhis2Client

NAMESPACE = "scdi-groups"
KEY = "installed"
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$")


class HistoryEntry(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    version: str
    checksum: str
    installed_at: str
    installed_by: str


class InstalledRecord(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    code: str
    version: str
    checksum: str
    installed_at: str
    installed_by: str
    dhis2_version: str | None = None
    objects: dict[str, dict[str, str]] = Field(default_factory=dict)
    android_settings: dict[str, str] = Field(default_factory=dict)
    history: list[HistoryEntry] = Field(default_factory=list)

    def dump(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, mode="json")


def read_record(client: Dhis2Client) -> InstalledRecord | None:
    value = client.datastore_get(NAMESPACE, KEY)
    if not isinstance(value, dict):
        return None
    return InstalledRecord.model_validate(value)


def write_record(client: Dhis2Client, record: InstalledRecord) -> None:
    client.datastore_put(NAMESPACE, KEY, record.dump())


def checksum(pkg: dict[str, Any]) -> str:
    """sha256 of the package as the build writes it (canonical, so equal content, equal sum)."""
    try:
        from scdi.connector.metadata.package import dump_package

        text = dump_package(pkg)
    except Exception:  # a package that is not ours: any stable serialisation will do
        text = json.dumps(pkg, sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def version_key(version: str) -> tuple[int, int, int, int, str]:
    """Semantic version order; a pre-release sorts before its release."""
    match = _SEMVER.match(version.strip())
    if not match:
        return (0, 0, 0, 0, version)
    major, minor, patch, pre = match.groups()
    return (int(major), int(minor), int(patch), 0 if pre else 1, pre or "")
