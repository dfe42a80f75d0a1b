"""What the phone would show after a sync, and every cause of failure on the way: a table for
people, JSON for machines. Names of metadata and counts only."""

from __future__ import annotations

from pydantic import BaseModel, Field, computed_field

from scdi.connector.android.findings import SyncFinding


class StageOnPhone(BaseModel):
    uid: str
    name: str
    writable: bool


class ProgramOnPhone(BaseModel):
    uid: str
    code: str | None = None
    name: str
    registration: bool
    writable: bool
    stages: list[StageOnPhone] = Field(default_factory=list)
    tracked_entities: int = 0
    enrollments: int = 0
    events: int = 0
    download_limit: int = 0


class UploadResult(BaseModel):
    ok: bool
    job: str | None = None
    polls: int = 0
    created: dict[str, int] = Field(default_factory=dict)  # tracker type -> objects created
    errors: list[str] = Field(default_factory=list)  # error codes with the object type
    cleaned_up: bool = False


class AndroidReport(BaseModel):
    base_url: str
    username: str
    server_version: str = ""
    settings_app: bool = False
    capture_org_units: int = 0
    search_org_units: int = 0
    org_units_downloaded: int = 0
    programs: list[ProgramOnPhone] = Field(default_factory=list)
    findings: list[SyncFinding] = Field(default_factory=list)
    requests: int = 0
    upload: UploadResult | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        """Nothing the SDK would fail on (notes do not count)."""
        return all(f.impact == "NOTE" for f in self.findings) and (self.upload is None or self.upload.ok)

    def codes(self) -> list[str]:
        return sorted({f.code for f in self.findings})
