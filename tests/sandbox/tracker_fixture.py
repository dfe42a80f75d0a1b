"""Synthetic tracker metadata and request helpers for the sandbox tracker tests.

The metadata is written straight into the sandbox store (the tracker modules only read it),
shaped like `/api/metadata` objects: a person type, attributes of many value types, a
tracker program with a non-repeatable and a repeatable stage, an enroll-once program, a
restricted program, an event program and a relationship type. Org units come from the
seeded Viet Nam tree: the group leader's commune, a sibling commune in the same province
and a commune of another province.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from typing import Any

import requests

from scdi.sandbox.server import RunningSandbox

ADMIN = ("admin", "district")
LEADER = ("group.leader", "district")
OFFICER = ("province.officer", "district")

OPEN = "rwrw----"
METADATA_ONLY = "rw------"


def uid() -> str:
    return random.choice(string.ascii_letters) + "".join(
        random.choices(string.ascii_letters + string.digits, k=10))


@dataclass
class Meta:
    root: str
    province: str
    commune: str          # group leader's capture unit
    sibling: str          # same province, outside the leader's capture scope
    other: str            # another province
    unassigned: str       # in the province but not assigned to the programs
    tet: str = "tetPerson01"
    a_name: str = "atrFullNam1"
    a_nid: str = "atrNatIdNo1"
    a_code: str = "atrMemCode1"
    a_age: str = "atrAgeYrs01"
    a_sex: str = "atrSexOpt01"
    a_phone: str = "atrPhone001"
    a_email: str = "atrEmail001"
    a_dob: str = "atrDob00001"
    a_gen: str = "atrGenCode1"
    a_tet_mandatory: str = "atrTetMand1"
    sex_set: str = "optSexSet01"
    program: str = "prgPeerGrp1"
    stage_once: str = "stgIntake01"
    stage_repeat: str = "stgMeeting1"
    program_once: str = "prgOnceOnly"
    stage_once_prog: str = "stgOnceStg1"
    program_closed: str = "prgClosed01"
    stage_closed: str = "stgClosed01"
    event_program: str = "prgEventOn1"
    event_stage: str = "stgEventOn1"
    de_number: str = "deNumber001"
    de_bool: str = "deBoolean01"
    de_option: str = "deOption001"
    de_date: str = "deDate00001"
    de_compulsory: str = "deCompuls01"
    rel_type: str = "relPeerLnk1"
    rel_type_bi: str = "relSibling1"


def _ou(store: Any, uid_: str) -> dict[str, Any]:
    return store.get_object("organisationUnits", uid_)


def install(running: RunningSandbox, tet_attribute_mandatory: bool = False) -> Meta:
    store = running.store
    leader = next(u for u in store.list_objects("users") if u["username"] == "group.leader")
    commune = leader["organisationUnits"][0]["id"]
    province = _ou(store, commune)["parent"]["id"]
    units = store.list_objects("organisationUnits")
    root = next(u["id"] for u in units if u.get("level") == 1)
    siblings = [u["id"] for u in units if (u.get("parent") or {}).get("id") == province
                and u["id"] != commune]
    other = next(u["id"] for u in units if u.get("level") == 3
                 and (u.get("parent") or {}).get("id") != province)
    m = Meta(root=root, province=province, commune=commune, sibling=siblings[0], other=other,
             unassigned=siblings[1] if len(siblings) > 1 else province)
    assigned = [{"id": m.commune}, {"id": m.sibling}, {"id": m.other}]

    def put(plural: str, obj: dict[str, Any], public: str | None = OPEN) -> None:
        if public is not None:
            obj["sharing"] = {"public": public, "external": False, "users": {}, "userGroups": {}}
        obj.setdefault("name", obj["id"])
        obj.setdefault("created", "2025-07-01T00:00:00.000")
        obj.setdefault("lastUpdated", "2025-07-01T00:00:00.000")
        store.put_object(plural, obj)

    put("optionSets", {"id": m.sex_set, "valueType": "TEXT",
                       "options": [{"id": "optMale0001", "code": "MALE", "name": "Male"},
                                   {"id": "optFemale01", "code": "FEMALE", "name": "Female"}]})
    for a, vt, extra in [
        (m.a_name, "TEXT", {}), (m.a_nid, "TEXT", {"unique": True}),
        (m.a_code, "TEXT", {"unique": True, "orgunitScope": True}),
        (m.a_age, "INTEGER_POSITIVE", {}), (m.a_sex, "TEXT", {"optionSet": {"id": m.sex_set}}),
        (m.a_phone, "PHONE_NUMBER", {}), (m.a_email, "EMAIL", {}), (m.a_dob, "DATE", {}),
        (m.a_gen, "TEXT", {"unique": True, "generated": True,
                           "pattern": 'ORG_UNIT_CODE(...) + "-" + SEQUENTIAL(####)'}),
        (m.a_tet_mandatory, "TEXT", {}),
    ]:
        put("trackedEntityAttributes", {"id": a, "code": a.upper(), "valueType": vt, **extra},
            public=METADATA_ONLY)
    put("trackedEntityTypes", {"id": m.tet, "minAttributesRequiredToSearch": 0, "trackedEntityTypeAttributes": [
        {"trackedEntityAttribute": {"id": m.a_name}, "mandatory": False},
        {"trackedEntityAttribute": {"id": m.a_tet_mandatory}, "mandatory": tet_attribute_mandatory},
    ]})
    for de, vt, extra in [(m.de_number, "NUMBER", {}), (m.de_bool, "BOOLEAN", {}),
                          (m.de_option, "TEXT", {"optionSet": {"id": m.sex_set}}),
                          (m.de_date, "DATE", {}), (m.de_compulsory, "TEXT", {})]:
        put("dataElements", {"id": de, "valueType": vt, "domainType": "TRACKER", **extra},
            public=METADATA_ONLY)
    program_attrs = [{"trackedEntityAttribute": {"id": a}, "mandatory": a == m.a_nid}
                     for a in (m.a_name, m.a_nid, m.a_code, m.a_age, m.a_sex, m.a_phone,
                               m.a_email, m.a_dob, m.a_gen)]
    base = {"programType": "WITH_REGISTRATION", "trackedEntityType": {"id": m.tet},
            "organisationUnits": assigned, "accessLevel": "OPEN", "displayIncidentDate": True,
            "selectEnrollmentDatesInFuture": False, "selectIncidentDatesInFuture": False,
            "onlyEnrollOnce": False,
            # no attributes needed to search outside the capture scope (DHIS2's default is 1:
            # `global_search.py`), so the leader's lists show the scope rules alone
            "minAttributesRequiredToSearch": 0}
    put("programs", {"id": m.program, **base, "programTrackedEntityAttributes": program_attrs,
                     "programStages": [{"id": m.stage_once}, {"id": m.stage_repeat}]})
    put("programStages", {"id": m.stage_once, "program": {"id": m.program}, "repeatable": False,
                          "validationStrategy": "ON_UPDATE_AND_INSERT",
                          "programStageDataElements": [
                              {"dataElement": {"id": m.de_number}, "compulsory": False},
                              {"dataElement": {"id": m.de_bool}, "compulsory": False},
                              {"dataElement": {"id": m.de_option}, "compulsory": False},
                              {"dataElement": {"id": m.de_date}, "compulsory": False}]})
    put("programStages", {"id": m.stage_repeat, "program": {"id": m.program}, "repeatable": True,
                          "validationStrategy": "ON_UPDATE_AND_INSERT",
                          "programStageDataElements": [
                              {"dataElement": {"id": m.de_number}, "compulsory": False},
                              {"dataElement": {"id": m.de_compulsory}, "compulsory": True}]})
    put("programs", {"id": m.program_once, **base, "onlyEnrollOnce": True,
                     "displayIncidentDate": False,
                     "programTrackedEntityAttributes": [
                         {"trackedEntityAttribute": {"id": m.a_name}, "mandatory": False}],
                     "programStages": [{"id": m.stage_once_prog}]})
    put("programStages", {"id": m.stage_once_prog, "program": {"id": m.program_once},
                          "repeatable": True, "programStageDataElements": []})
    put("programs", {"id": m.program_closed, **base, "displayIncidentDate": False,
                     "programTrackedEntityAttributes": [], "programStages": [{"id": m.stage_closed}]},
        public=METADATA_ONLY)
    put("programStages", {"id": m.stage_closed, "program": {"id": m.program_closed},
                          "repeatable": True, "programStageDataElements": []}, public=METADATA_ONLY)
    put("programs", {"id": m.event_program, "programType": "WITHOUT_REGISTRATION",
                     "organisationUnits": assigned, "programStages": [{"id": m.event_stage}],
                     "programTrackedEntityAttributes": []})
    put("programStages", {"id": m.event_stage, "program": {"id": m.event_program},
                          "repeatable": True, "programStageDataElements": [
                              {"dataElement": {"id": m.de_number}, "compulsory": False}]})
    te_constraint = {"relationshipEntity": "TRACKED_ENTITY_INSTANCE",
                     "trackedEntityType": {"id": m.tet}}
    put("relationshipTypes", {"id": m.rel_type, "bidirectional": False,
                              "fromConstraint": te_constraint,
                              "toConstraint": {"relationshipEntity": "PROGRAM_STAGE_INSTANCE"}})
    put("relationshipTypes", {"id": m.rel_type_bi, "bidirectional": True,
                              "fromConstraint": te_constraint, "toConstraint": te_constraint})
    return m


# -- payload builders ---------------------------------------------------------------------------
def te(m: Meta, org_unit: str | None = None, attributes: dict[str, Any] | None = None,
       **extra: Any) -> dict[str, Any]:
    attrs = attributes if attributes is not None else {m.a_name: "Nguyen Van A"}
    return {"trackedEntity": extra.pop("trackedEntity", uid()), "trackedEntityType": m.tet,
            "orgUnit": org_unit or m.commune,
            "attributes": [{"attribute": k, "value": v} for k, v in attrs.items()], **extra}


def enrollment(m: Meta, te_uid: str, program: str | None = None, org_unit: str | None = None,
               attributes: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    attrs = attributes if attributes is not None else {m.a_nid: "NID-" + uid()}
    body = {"enrollment": extra.pop("enrollment", uid()), "trackedEntity": te_uid,
            "program": program or m.program, "orgUnit": org_unit or m.commune,
            "status": "ACTIVE", "enrolledAt": "2025-01-10", "occurredAt": "2025-01-09",
            "attributes": [{"attribute": k, "value": v} for k, v in attrs.items()]}
    body.update(extra)
    return body


def event(m: Meta, enrollment_uid: str | None, stage: str | None = None,
          org_unit: str | None = None, values: dict[str, Any] | None = None,
          **extra: Any) -> dict[str, Any]:
    stage = stage or m.stage_once
    body: dict[str, Any] = {"event": extra.pop("event", uid()), "programStage": stage,
                            "orgUnit": org_unit or m.commune, "status": "ACTIVE",
                            "occurredAt": "2025-01-12",
                            "dataValues": [{"dataElement": k, "value": v}
                                           for k, v in (values or {}).items()]}
    if enrollment_uid is not None:
        body["enrollment"] = enrollment_uid
    if stage == m.stage_repeat and values is None:
        body["dataValues"] = [{"dataElement": m.de_compulsory, "value": "present"}]
    body.update(extra)
    return body


def person(m: Meta, org_unit: str | None = None, nid: str | None = None) -> dict[str, Any]:
    """A nested tracked entity with one enrollment in the main program."""
    t = te(m, org_unit)
    t["enrollments"] = [enrollment(m, t["trackedEntity"], org_unit=org_unit,
                                   attributes={m.a_nid: nid or "NID-" + uid()})]
    t["enrollments"][0].pop("trackedEntity")
    return t


# -- HTTP -----------------------------------------------------------------------------------------
def add_username_data_element(running: RunningSandbox, m: Meta, uid_: str = "deUsername1") -> str:
    """A USERNAME copy of the number data element, optional in the once-only stage."""
    named = running.store.get_object("dataElements", m.de_number) | {"id": uid_,
                                                                     "valueType": "USERNAME"}
    running.store.put_object("dataElements", named)
    stage = running.store.get_object("programStages", m.stage_once)
    stage["programStageDataElements"].append({"dataElement": {"id": uid_}, "compulsory": False})
    running.store.put_object("programStages", stage)
    return uid_


def post(running: RunningSandbox, payload: dict[str, Any], auth: tuple[str, str] = ADMIN,
         **params: Any) -> requests.Response:
    query = {"async": "false", **{k: str(v).lower() if isinstance(v, bool) else v
                                  for k, v in params.items()}}
    return requests.post(f"{running.url}/api/tracker", json=payload, params=query, auth=auth,
                         timeout=30)


def get(running: RunningSandbox, path: str, auth: tuple[str, str] = ADMIN,
        **params: Any) -> requests.Response:
    return requests.get(f"{running.url}{path}", params=params, auth=auth, timeout=30)


def codes(report: dict[str, Any]) -> list[str]:
    return [e["errorCode"] for e in report["validationReport"]["errorReports"]]


def error_for(report: dict[str, Any], code: str) -> dict[str, Any]:
    return next(e for e in report["validationReport"]["errorReports"] if e["errorCode"] == code)
