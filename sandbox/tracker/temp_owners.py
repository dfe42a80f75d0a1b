"""Temporary owners: who broke the glass on which record and program, until when.

A grant (`POST /api/tracker/ownership/override`, `tracker/ownership.py`) is a
`ProgramTempOwner` valid for `TEMPORARY_OWNERSHIP_VALIDITY_IN_HOURS` = 3 hours from the moment
it is made (`ProgramTempOwner#addHoursToJavaUtilDate`); it counts while
`validtill - now() > 0`, so no longer in the instant it ends (`getValidTempOwnerCount`:
2.41.9/2.42.5 `program/hibernate/HibernateProgramTempOwnerStore.java`, 2.43.1
`tracker/acl/HibernateProgramTempOwnerStore.java`). `DefaultTrackerOwnershipManager#hasAccess`
lets a PROTECTED program's record through with one (`access/scope.py#owner_access`).
Not kept: the audit rows (`ProgramTempOwnershipAudit`, only for types with `allowAuditLog`) and
the manager's cache of answers (`tempOwnerCache`, `DefaultCacheProvider#createProgramTempOwnerCache`
expires entries 30 minutes after write at the three tags), so an answer cached just before a grant
ends is not kept past its end.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scdi.sandbox.core.store import Store

TABLES = """
CREATE TABLE IF NOT EXISTS program_temp_owners (
    te TEXT NOT NULL, program TEXT NOT NULL, user_uid TEXT NOT NULL, reason TEXT,
    valid_till TEXT NOT NULL
);
"""
VALIDITY = timedelta(hours=3)
# java.util.Date keeps milliseconds; the text sorts as the instant it names
_STAMP = "%Y-%m-%dT%H:%M:%S.%f"


def now() -> datetime:
    """The grants' clock."""
    return datetime.now(UTC)


def _text(instant: datetime) -> str:
    return instant.strftime(_STAMP)[:-3]


def grant(store: Store, te: str, program: str, user_uid: str, reason: str) -> None:
    """Add a grant; the caller holds the store's lock and transaction."""
    store.conn.execute(
        "INSERT INTO program_temp_owners (te, program, user_uid, reason, valid_till) VALUES (?,?,?,?,?)",
        (te, program, user_uid, reason, _text(now() + VALIDITY)))


def has_temporary(store: Store, te: str | None, program: str, user_uid: str) -> bool:
    """`DefaultTrackerOwnershipManager#hasTemporaryAccess`: a grant for the triple still valid."""
    if not te:
        return False
    with store.lock:
        row = store.conn.execute(
            "SELECT 1 FROM program_temp_owners WHERE te=? AND program=? AND user_uid=? AND valid_till>?",
            (te, program, user_uid, _text(now()))).fetchone()
    return row is not None
