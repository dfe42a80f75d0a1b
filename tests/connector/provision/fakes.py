"""A server state and a request recorder for plan and apply tests that need no HTTP."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from scdi.connector.errors import Conflict, NotFound, ServerError
from scdi.connector.provision.columns import package_choices
from scdi.connector.provision.passwords import PasswordPolicy
from scdi.connector.provision.registry import Registry, parse_table
from scdi.connector.provision.server import RecordState, ServerState, UserGroupState, UserState
from scdi.connector.provision.tree import Tree
from scdi.upstream.releases import RELEASES

PROGRAMS = {"group": "FbpjxeaIDk0", "member": "Kyzu6Eqr46f", "outreach": "qwDpRjzhCPS"}
ATTRIBUTES = {"group_code": "gCUSXyZX3l5", "group_name": "Q4TiaEfJc8r", "kind": "jR9pGEz3JK5",
              "sponsor": "bZ5ETKumrYK", "founded_on": "FLsc7Vxq5Uc"}
HEADER = ["group_code", "group_name", "kind", "province", "district", "commune", "sponsor", "founded_on",
          "leader_username", "leader_email", "leader_phone", "active"]
TODAY = dt.date(2026, 1, 15)


def registry(*rows: list[Any]) -> Registry:
    kinds, sponsors = package_choices()
    return parse_table([HEADER, *rows], file="r.xlsx", sheet="Nhóm", kinds=kinds, sponsors=sponsors, today=TODAY)


def state(tree: Tree, *, users: dict[str, UserState] | None = None, groups: dict[str, UserGroupState] | None = None,
          records: dict[str, RecordState] | None = None,
          program_org_units: dict[str, set[str]] | None = None) -> ServerState:
    return ServerState(
        base_url="http://dhis2.test", version="2.42.5", release=RELEASES["2.42"], username="admin",
        authorities=["ALL"], tree=tree, programs=dict(PROGRAMS),
        program_org_units=program_org_units or {p: set() for p in PROGRAMS.values()},
        peer_group_type="x6ddthGxLQU", attributes=dict(ATTRIBUTES),
        type_attributes={ATTRIBUTES["group_code"], ATTRIBUTES["group_name"]}, leader_role="QDokryaALvn",
        data_capture=UserGroupState(uid="JCrdrZfYYo1", code="SCDI_DATA_CAPTURE", name="SCDI - Data capture"),
        admin_group="ufeI97MgH2Q", group_user_groups=groups or {}, users=users or {}, records=records or {},
        option_codes={}, policy=PasswordPolicy())


class Recorder:
    """Stands in for `apply.Counter`: answers GETs from `owners`, records POSTs, refuses on demand."""

    def __init__(self, owners: dict[str, list[dict[str, Any]]] | None = None,
                 refuse: Callable[[str, dict[str, Any], dict[str, Any]], Any] | None = None,
                 missing: tuple[str, ...] = ()) -> None:
        self.owners = owners or {}
        self.refuse = refuse
        self.missing = missing
        self.posts: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
        self.requests = 0
        self.writes = 0

    def get(self, path: str, params: Any = None) -> Any:
        self.requests += 1
        wanted = str((params or {}).get("filter", ""))
        found = [copy.deepcopy(o) for o in self.owners.get(path, []) if o["id"] in wanted]
        return {path: found}

    def post(self, path: str, json: Any = None, params: Any = None, *, write: bool) -> Any:
        self.requests += 1
        self.writes += int(write)
        self.posts.append((path, copy.deepcopy(json or {}), dict(params or {})))
        if any(path.startswith(m) for m in self.missing):
            if path.startswith("users/"):
                raise ServerError("405", status=405)
            raise NotFound("No endpoint", status=404)
        if self.refuse is not None:
            answer = self.refuse(path, json or {}, dict(params or {}))
            if answer is not None:
                raise Conflict("DHIS2 refused", status=409, body=answer)
        return {"response": {"stats": {"created": 1, "updated": 0, "deleted": 0, "ignored": 0, "total": 1}}}

    def payloads(self, path: str, mode: str) -> list[dict[str, Any]]:
        return [body for p, body, params in self.posts if p == path and params.get("importMode") == mode]


def metadata_refusal(uid: str, klass: str, prop: str, code: str, message: str) -> dict[str, Any]:
    """A 409 WebMessage around an ImportReport with one error, shaped as DHIS2 sends it."""
    return {"httpStatus": "Conflict", "httpStatusCode": 409, "status": "WARNING", "response": {
        "responseType": "ImportReport", "status": "ERROR", "typeReports": [{
            "klass": f"org.hisp.dhis.{klass}", "objectReports": [{
                "klass": f"org.hisp.dhis.{klass}", "index": 0, "uid": uid, "errorReports": [{
                    "message": message, "mainKlass": f"org.hisp.dhis.{klass}", "mainId": uid,
                    "errorCode": code, "errorProperty": prop}]}]}]}}
