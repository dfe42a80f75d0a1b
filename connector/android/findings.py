"""A cause of failure the Android SDK would hit, with the SDK file whose code fails on it.

Findings name metadata (type, uid, name) and counts, never a record's values.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Impact(StrEnum):
    FATAL = "FATAL"  # the sync stops and nothing of it stays on the phone
    DROPPED = "DROPPED"  # the sync goes on without the object (or part of it)
    DEGRADED = "DEGRADED"  # the sync goes on; a feature on the phone will not work
    NOTE = "NOTE"  # how the phone differs from what the user may read, perhaps on purpose


class SyncFinding(BaseModel):
    model_config = ConfigDict(frozen=True)

    impact: Impact
    code: str  # stable id, e.g. `sync.tet-not-readable`
    message: str
    sdk: str  # the SDK file (under core/src/main/java/org/hisp/dhis/android/) whose code fails
    object_type: str | None = None
    uid: str | None = None
    name: str | None = None

    def where(self) -> str:
        label = " ".join(p for p in (repr(self.name) if self.name else None,
                                      f"[{self.uid}]" if self.uid else None) if p)
        return f"{self.object_type or ''} {label}".strip()

    def table_row(self) -> tuple[str, str, str, str, str]:
        return (self.impact.value, self.code, self.where(), self.message, self.sdk)


TABLE_HEADERS = ("impact", "code", "where", "message", "SDK")


def sync_finding(impact: Impact, code: str, message: str, sdk: str, obj: dict[str, object] | None = None,
                 object_type: str | None = None) -> SyncFinding:
    """A finding about `obj` (a metadata object as the server answered it: only id and name are kept)."""
    uid = str(obj["id"]) if obj and obj.get("id") else None
    name = str(obj["name"]) if obj and obj.get("name") else None
    return SyncFinding(impact=impact, code=code, message=message, sdk=sdk, object_type=object_type,
                       uid=uid, name=name)
