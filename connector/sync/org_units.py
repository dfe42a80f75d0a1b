"""ORGANISATION_UNIT values: a roster names a place by its org unit code (what people can read
and type: the commune of an outreach session), DHIS2 stores its UID. Translated both ways, one
lookup per distinct place per run."""

from __future__ import annotations

from scdi.connector.client import Dhis2Client
from scdi.connector.roster.values import UID_RE


class OrgUnitCodes:
    def __init__(self, client: Dhis2Client) -> None:
        self.client = client
        self._uid: dict[str, str | None] = {}
        self._code: dict[str, str | None] = {}

    def _find(self, prop: str, value: str) -> dict[str, str] | None:
        found = (self.client.get("organisationUnits", params={
            "filter": f"{prop}:eq:{value}", "fields": "id,code", "paging": "false"}) or {}).get("organisationUnits")
        return found[0] if found else None

    def uid(self, code: str) -> str | None:
        """The UID of the org unit with this code (a value that is already a UID of one is kept)."""
        if code not in self._uid:
            unit = self._find("code", code) or (self._find("id", code) if UID_RE.match(code) else None)
            self._uid[code] = unit["id"] if unit else None
            if unit and unit.get("code"):
                self._code[unit["id"]] = unit["code"]
        return self._uid[code]

    def code(self, uid: str) -> str:
        """The code the roster shows for an org unit UID (the UID itself when it has none)."""
        if uid not in self._code:
            unit = self._find("id", uid) if UID_RE.match(uid) else None
            self._code[uid] = unit.get("code") if unit else None
        return self._code[uid] or uid
