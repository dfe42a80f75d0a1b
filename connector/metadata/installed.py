"""The installed record: which package version a server has, kept in its datastore.

`GET/PUT /api/dataStore/scdi-groups/installed` holds the version, the checksum of the package
file, when and by whom it was deployed, a content hash per object (to see hand edits later)
and the Android Settings App keys the package owns. DHIS2's own metadata versioning is for
syncing instances, not for packages, so the record is ours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.alias_generators import to_camel

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import InputError
from scdi.connector.metadata.package import SEMVER_PATTERN, dump_package

NAMESPACE = "scdi-groups"
KEY = "installed"
DEPLOY_KEY = "deploy"  # the deploy under way, or the last one: started before the commit, finished after


def _timestamp(value: str) -> str:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date and time (ISO 8601, such as 2025-03-01T08:00:00+00:00)") from None
    return value


class HistoryEntry(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    version: str
    checksum: str
    installed_at: str
    installed_by: str

    @field_validator("installed_at")
    @classmethod
    def _when(cls, value: str) -> str:
        return _timestamp(value)


class InstalledRecord(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    code: str
    version: str
    checksum: str
    installed_at: str
    installed_by: str
    dhis2_version: str | None = None
    # plural → uid → hash of the server's object just after the deploy (through the package's
    # properties): a later difference is a hand edit.
    objects: dict[str, dict[str, str]] = Field(default_factory=dict)
    # plural → uid → hash of the object as the package shipped it: another package whose object
    # hashes the same sees the server through the same properties, so drift stays known for it.
    package_objects: dict[str, dict[str, str]] = Field(default_factory=dict)
    android_settings: dict[str, str] = Field(default_factory=dict)
    history: list[HistoryEntry] = Field(default_factory=list)

    @field_validator("code", "checksum", "installed_by")
    @classmethod
    def _given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("is empty")
        return value

    @field_validator("installed_at")
    @classmethod
    def _when(cls, value: str) -> str:
        return _timestamp(value)

    @field_validator("version")
    @classmethod
    def _semantic(cls, value: str) -> str:
        # The downgrade check orders versions; a version it cannot order would let any package
        # through as an "upgrade".
        if not SEMVER_PATTERN.match(value):
            raise ValueError(f"{value!r} is not a semantic version")
        return value

    def dump(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, mode="json")


def read_record(client: Dhis2Client) -> InstalledRecord | None:
    """The record, None when nothing is installed; a record that cannot be read is an error,
    never "not installed" (that would let a deploy skip the downgrade check)."""
    value = client.datastore_get(NAMESPACE, KEY)
    if value is None:
        return None
    try:
        return InstalledRecord.model_validate(value)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'record'}: {e['msg']}" for e in exc.errors()[:3])
        raise InputError(
            f"the installed record cannot be read ({problems})", file=f"dataStore/{NAMESPACE}/{KEY}",
            hint="Check the key in the Datastore Manager app; delete it only if you know which package "
                 "version the server has, then deploy again.") from exc


class DeployMarker(BaseModel):
    """`dataStore/scdi-groups/deploy`: written before a deploy's first write and after its
    last, so a deploy cut off in between (Ctrl-C, kill -9, a dropped connection) is known."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    code: str
    version: str
    checksum: str
    started_at: str
    started_by: str
    step: str
    state: Literal["started", "finished", "refused"] = "started"
    finished_at: str | None = None

    @property
    def interrupted(self) -> bool:
        return self.state == "started"

    def dump(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, mode="json")


def read_marker(client: Dhis2Client) -> DeployMarker | None:
    """The last deploy's marker; None when there is none or it cannot be read (it only
    explains, it never decides)."""
    value = client.datastore_get(NAMESPACE, DEPLOY_KEY)
    try:
        return None if value is None else DeployMarker.model_validate(value)
    except ValidationError:
        return None


def checksum(pkg: dict[str, Any]) -> str:
    """sha256 of the package as the build writes it (canonical, so equal content, equal sum)."""
    try:
        text = dump_package(pkg)
    except (InputError, KeyError, TypeError):  # a package that is not ours: any stable serialisation will do
        text = json.dumps(pkg, sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def version_key(version: str) -> tuple[Any, ...]:
    """Semantic version precedence (semver.org §11): a pre-release sorts before its release,
    pre-release identifiers compare one by one, numbers as numbers and before words, and a
    longer list wins when the shorter one is its prefix. Not a semantic version: sorts first."""
    text = version.strip()
    if not SEMVER_PATTERN.match(text):
        return (-1, -1, -1, 0, ())
    core, _, pre = text.partition("-")
    major, minor, patch = (int(part) for part in core.split("."))
    identifiers = tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                        for part in pre.split(".")) if pre else ()
    return (major, minor, patch, 0 if pre else 1, identifiers)
