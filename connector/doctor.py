"""`scdi doctor`: can this server and this user run scdi-groups?"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from scdi.connector.authorities import SYNC_AUTHORITIES, deploy_authorities, missing
from scdi.connector.client import Dhis2Client
from scdi.connector.errors import ServerError
from scdi.upstream.releases import SUPPORTED_WINDOW, Support, support_of

# The member program's phone attribute: confidential, so a server without an encryption
# password refuses its values with E1112 (tracker/imports/validation/validator/
# attribute/AttributeValidator.java). Its UID is fixed by the metadata package.
PROBE_TRACKED_ENTITY_TYPE_CODE = "SCDI_PERSON"


class AuthorityCheck(BaseModel):
    purpose: str
    needed: list[str]
    missing: list[str]


class DoctorReport(BaseModel):
    base_url: str
    server_version: str
    support: str
    supported_window: str
    username: str
    auth: str
    superuser: bool
    authorities: list[AuthorityCheck]
    confidential_storage: str  # "ok", "no encryption (E1112)", or why it could not be tested

    @property
    def healthy(self) -> bool:
        return self.support != Support.UNSUPPORTED.value and not any(a.missing for a in self.authorities)

    @property
    def ok(self) -> bool:
        """Healthy: a server in the window and a user who may deploy and sync."""
        return self.healthy


def run_doctor(client: Dhis2Client) -> DoctorReport:
    version = client.server_version
    support = support_of(version)
    me = client.me()
    held = [str(a) for a in me.get("authorities", [])]
    checks = [
        AuthorityCheck(
            purpose="deploy metadata", needed=deploy_authorities(), missing=missing(deploy_authorities(), held)
        ),
        AuthorityCheck(purpose="sync rosters", needed=list(SYNC_AUTHORITIES), missing=missing(SYNC_AUTHORITIES, held)),
    ]
    return DoctorReport(
        base_url=client.base_url,
        server_version=version,
        support=support.value,
        supported_window=SUPPORTED_WINDOW,
        username=str(me.get("username", "")),
        auth=client.settings.auth_kind,
        superuser="ALL" in held,
        authorities=checks,
        confidential_storage=probe_confidential_storage(client, me),
    )


def probe_confidential_storage(client: Dhis2Client, me: dict[str, Any] | None = None) -> str:
    """Ask the tracker importer, in VALIDATE mode, to store a synthetic confidential value."""
    me = me if me is not None else client.me()
    try:
        found = client.get(
            "trackedEntityAttributes",
            params={"filter": "confidential:eq:true", "fields": "id,code", "paging": "false"},
        )
        attributes = [a for a in found.get("trackedEntityAttributes", []) if str(a.get("code", "")).startswith("SCDI_")]
        types = client.get(
            "trackedEntityTypes",
            params={"filter": f"code:eq:{PROBE_TRACKED_ENTITY_TYPE_CODE}", "fields": "id", "paging": "false"},
        ).get("trackedEntityTypes", [])
    except ServerError as exc:
        return f"not tested: could not read attributes ({exc.status})"
    units = me.get("organisationUnits") or []
    if not attributes or not types:
        return "not tested: deploy the metadata package first (it defines the confidential attributes)"
    if not units:
        return "not tested: your user has no data capture org unit"
    payload = {
        "trackedEntities": [
            {
                "trackedEntityType": types[0]["id"],
                "orgUnit": units[0]["id"],
                "attributes": [{"attribute": attributes[0]["id"], "value": "0900000000"}],
            }
        ]
    }
    try:
        report = client.import_tracker(payload, params={"importMode": "VALIDATE", "atomicMode": "ALL"})
    except ServerError as exc:
        return f"not tested: the tracker importer answered {exc.status}"
    if "E1112" in report.error_codes():
        return "no: the server has no encryption password (E1112); set encryption.password in dhis.conf"
    return "ok"


def support_message(report: DoctorReport) -> str:
    if report.support == Support.SUPPORTED.value:
        return f"supported ({SUPPORTED_WINDOW})"
    if report.support == Support.WARN.value:
        return f"works with a warning: outside the tested window ({SUPPORTED_WINDOW})"
    return f"unsupported: scdi-groups supports {SUPPORTED_WINDOW}"
