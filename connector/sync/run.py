"""`sync_all`: a network's rosters (one file per group, named by its group code) synced a
bounded number at a time, each with its own connection and ledger, one summary per group.

A group that fails (not provisioned, a file that cannot be read, the server refusing) is a line
of the report, not the end of the run; the total adds up the groups' counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from scdi.connector.client import Dhis2Client
from scdi.connector.errors import ScdiError
from scdi.connector.roster.contract import RosterKind
from scdi.connector.roster.read import CSV_SUFFIXES, WORKBOOK_SUFFIXES
from scdi.connector.sync.engine import run
from scdi.connector.sync.merge import Side


class SyncAllReport(BaseModel):
    folder: str
    groups: list[dict[str, Any]] = Field(default_factory=list)
    total: dict[str, Any] = Field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(g.get("ok") for g in self.groups)

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, "groups": self.groups, "total": self.total}


def rosters_in(folder: Path) -> list[tuple[str, Path]]:
    """(group code, roster) for every workbook, CSV file, or folder of CSV files in `folder`."""
    found: list[tuple[str, Path]] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")):
            continue
        if path.is_file() and path.suffix.lower() in (*WORKBOOK_SUFFIXES, *CSV_SUFFIXES):
            found.append((path.stem, path))
        elif path.is_dir() and any(p.suffix.lower() in CSV_SUFFIXES for p in path.iterdir()):
            found.append((path.name, path))
    return found


def sync_all(client: Dhis2Client, folder: Path, *, jobs: int = 2, kind: RosterKind = "member",
             state_dir: Path | None = None, prefer: Side | None = None, engines: bool = True,
             on_group: Callable[[dict[str, Any]], None] | None = None, **options: Any) -> SyncAllReport:
    rosters = rosters_in(folder)
    report = SyncAllReport(folder=str(folder))

    def one(group: str, path: Path) -> dict[str, Any]:
        own = Dhis2Client(client.settings)
        try:
            result = run(own, path, group, "sync", kind=kind, state_dir=state_dir, prefer=prefer, engines=engines,
                         **options)
            return result.summary()
        except ScdiError as exc:
            return {"group": group, "file": path.name, "error": exc.one_line(), "ok": False, "counts": {},
                    "writes": 0}
        finally:
            own.close()

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(one, group, path): group for group, path in rosters}
        for future in as_completed(futures):
            summary = future.result()
            report.groups.append(summary)
            if on_group is not None:
                on_group(summary)
    report.groups.sort(key=lambda g: str(g.get("group")))
    counts: Counter[str] = Counter()
    for summary in report.groups:
        counts.update(summary.get("counts") or {})
    report.total = {"groups": len(report.groups), "failed": sum(1 for g in report.groups if not g.get("ok")),
                    "counts": dict(counts), "writes": sum(int(g.get("writes") or 0) for g in report.groups)}
    return report
