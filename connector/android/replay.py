"""One replayed request after another, as the SDK sends them: a failed call the SDK treats as
fatal is kept as a finding and stops the step, one it ignores is only counted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from scdi.connector.android.findings import Impact, SyncFinding, sync_finding
from scdi.connector.client import Dhis2Client
from scdi.connector.errors import ServerError


class CallLog(BaseModel):
    method: str
    path: str
    status: int | None  # None: no answer
    fatal: bool


class SyncStopped(Exception):
    """A fatal call failed: the SDK rolls the whole step back."""


class Replay:
    """The requests of one replay and what went wrong in them."""

    def __init__(self, client: Dhis2Client) -> None:
        self.client = client
        self.calls: list[CallLog] = []
        self.findings: list[SyncFinding] = []

    def add(self, finding: SyncFinding) -> None:
        if finding not in self.findings:
            self.findings.append(finding)

    def get(self, path: str, params: Mapping[str, Any] | None, *, sdk: str, fatal: bool = True) -> Any:
        """GET as the SDK does. A failure of a fatal call adds `sync.request-failed` and raises
        SyncStopped; a failure of another call answers None."""
        try:
            body = self.client.get(path, params=params)
        except ServerError as exc:
            self.calls.append(CallLog(method="GET", path=path, status=exc.status, fatal=fatal))
            if not fatal:
                return None
            status = f"answered {exc.status}" if exc.status else "did not answer"
            self.add(sync_finding(Impact.FATAL, "sync.request-failed",
                                  f"GET /api/{path} {status}; the SDK stops the sync on this call", sdk))
            raise SyncStopped(path) from None
        self.calls.append(CallLog(method="GET", path=path, status=200, fatal=fatal))
        return body

    def collection(self, path: str, key: str, params: Mapping[str, Any], *, sdk: str) -> list[dict[str, Any]]:
        """A metadata list the SDK reads as `{key: [...]}`: the key must be there and every item
        needs an `id` (non-nullable in the DTOs, `core/arch/json/internal/KotlinxJsonParser.kt`)."""
        body = self.get(path, params, sdk=sdk)
        items = body.get(key) if isinstance(body, dict) else None
        if not isinstance(items, list):
            self.add(sync_finding(Impact.FATAL, "sync.missing-key",
                                  f"GET /api/{path} answered without the {key!r} list the SDK requires", sdk))
            raise SyncStopped(path)
        out = [i for i in items if isinstance(i, dict)]
        for item in out:
            if not item.get("id"):
                self.add(sync_finding(Impact.FATAL, "sync.missing-key",
                                      f"an item of GET /api/{path} has no 'id', which the SDK requires", sdk))
                raise SyncStopped(path)
        return out


def chunks(uids: set[str] | list[str], size: int) -> list[list[str]]:
    ordered = sorted(set(uids))
    return [ordered[i:i + size] for i in range(0, len(ordered), size)]


def id_in(uids: list[str]) -> str:
    return f"[{','.join(uids)}]"
