"""An upload in the SDK's shape (`core/tracker/importer/internal/TrackerImporterPostCall.kt`):
one synthetic member with an event in a repeatable stage, `POST /api/tracker?atomicMode=OBJECT&
importStrategy=CREATE_AND_UPDATE` answered by an async job, `GET /api/tracker/jobs/{id}` after
1 s and every 2 s (`JobQueryCall.kt`), then the job's report read as `JobReportHandler.kt` does.
The record is deleted afterwards unless an org unit was named (then it stays, for tests).
Values are synthetic; none is printed."""

from __future__ import annotations

import datetime as dt
import secrets
import string
import time
from typing import Any

from scdi.connector.android.login import Account
from scdi.connector.android.metadata import Download, stage_data_elements
from scdi.connector.android.report import UploadResult
from scdi.connector.client import Dhis2Client
from scdi.connector.errors import NotFound, ServerError

ATTEMPTS = 91  # JobQueryCall.kt: ATTEMPTS_AFTER_UPLOAD = 90, plus the first
TYPES = ("TRACKED_ENTITY", "ENROLLMENT", "EVENT", "RELATIONSHIP")  # JobReportHandler / typeReportMap


def _uid() -> str:
    alphabet = string.ascii_letters + string.digits
    return secrets.choice(string.ascii_letters) + "".join(secrets.choice(alphabet) for _ in range(10))


def _ref(value: Any) -> str | None:
    return str(value["id"]) if isinstance(value, dict) and value.get("id") else None


def _pick(d: Download) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The member program (or the first writable tracker program) and its attendance stage (or
    its first repeatable writable stage)."""
    def writable(obj: dict[str, Any]) -> bool:
        return bool(((obj.get("access") or {}).get("data") or {}).get("write"))
    programs = sorted((p for p in d.programs.values() if p.get("programType") == "WITH_REGISTRATION" and writable(p)),
                      key=lambda p: (p.get("code") != "SCDI_MEMBER", str(p.get("name", ""))))
    for program in programs:
        stages = sorted((s for s in d.stages.values() if _ref(s.get("program")) == program["id"]
                         and s.get("repeatable") and writable(s)),
                        key=lambda s: (not str(s.get("code", "")).endswith("ATTENDANCE"), s.get("sortOrder") or 0))
        if stages:
            return program, stages[0]
    return None


def _value(client: Dhis2Client, obj: dict[str, Any], d: Download, today: str) -> str:
    """A synthetic value of the object's type; option sets take their first option's code."""
    option_set = _ref(obj.get("optionSet"))
    if option_set:
        options = sorted((o for o in d.options.values() if _ref(o.get("optionSet")) == option_set),
                         key=lambda o: o.get("sortOrder") or 0)
        if options:
            return str(options[0].get("code"))
    if obj.get("generated"):
        reserved = client.get(f"trackedEntityAttributes/{obj['id']}/generateAndReserve",
                              params={"numberToReserve": 1})
        return str(reserved[0]["value"])
    kind = obj.get("valueType") or "TEXT"
    if kind in ("INTEGER_POSITIVE", "INTEGER", "INTEGER_ZERO_OR_POSITIVE", "NUMBER"):
        return "1990" if "YEAR" in str(obj.get("code", "")) else "1"
    if kind in ("BOOLEAN", "TRUE_ONLY"):
        return "true"
    if kind in ("DATE", "AGE"):
        return today
    if kind == "PHONE_NUMBER":
        return "0900000000"
    return "SYN-" + _uid()[:6].upper()


def upload_member(client: Dhis2Client, account: Account, d: Download, *, org_unit: str | None = None,
                  interval: float = 2.0, first_delay: float = 1.0) -> UploadResult:
    picked = _pick(d)
    if picked is None:
        return UploadResult(ok=False, errors=["no writable tracker program with a repeatable stage on the phone"])
    program, stage = picked
    capture = {u["id"] for u in account.capture}
    unit = org_unit or next((u["id"] for u in sorted(d.org_units.values(), key=lambda u: str(u["id"]))
                             if capture & set(str(u.get("path", "")).strip("/").split("/"))
                             and program["id"] in {_ref(p) for p in u.get("programs") or []}), None)
    if unit is None:
        return UploadResult(ok=False, errors=["no capture org unit carries the program"])
    today = dt.date.today().isoformat()
    tet = d.tracked_entity_types.get(_ref(program.get("trackedEntityType")) or "") or {}
    tet_attrs = {_ref(a.get("trackedEntityAttribute")) for a in tet.get("trackedEntityTypeAttributes") or []}
    values: dict[str, str] = {}
    for ptea in program.get("programTrackedEntityAttributes") or []:
        attribute = d.attributes.get(_ref(ptea.get("trackedEntityAttribute")) or "")
        if attribute and (ptea.get("mandatory") or attribute.get("generated")):
            values[attribute["id"]] = _value(client, attribute, d, today)
    te, enrollment, event = _uid(), _uid(), _uid()
    compulsory = {_ref(p.get("dataElement")) for p in stage.get("programStageDataElements") or []
                  if p.get("compulsory")}
    data_values = [{"dataElement": de["id"], "value": _value(client, de, d, today), "providedElsewhere": False}
                   for de in stage_data_elements(stage) if de.get("id") in compulsory]
    payload = {
        "trackedEntities": [{"trackedEntity": te, "trackedEntityType": tet.get("id"), "orgUnit": unit,
                             "deleted": False, "attributes": [{"attribute": k, "value": v}
                                                              for k, v in values.items() if k in tet_attrs]}],
        "enrollments": [{"enrollment": enrollment, "program": program["id"], "trackedEntity": te, "orgUnit": unit,
                         "enrolledAt": today, "occurredAt": today, "status": "ACTIVE", "followUp": False,
                         "attributes": [{"attribute": k, "value": v} for k, v in values.items()
                                        if k not in tet_attrs]}],
        "events": [{"event": event, "enrollment": enrollment, "program": program["id"], "programStage": stage["id"],
                    "orgUnit": unit, "occurredAt": today, "status": "COMPLETED", "completedAt": today,
                    "dataValues": data_values}],
        "relationships": [],
    }
    result = _send(client, payload, interval, first_delay)
    if result.ok and org_unit is None:
        result.cleaned_up = _delete(client, te)
    return result


def _send(client: Dhis2Client, payload: dict[str, Any], interval: float, first_delay: float) -> UploadResult:
    try:
        answer = client.post("tracker", json=payload, params={"atomicMode": "OBJECT",
                                                              "importStrategy": "CREATE_AND_UPDATE"})
    except ServerError as exc:
        return UploadResult(ok=False, errors=[f"POST /api/tracker answered {exc.status}"])
    missing = [k for k in ("httpStatus", "httpStatusCode", "status", "message", "response") if k not in (answer or {})]
    job = ((answer or {}).get("response") or {}).get("id")
    if missing or not job:
        return UploadResult(ok=False, errors=[f"the async answer lacks {', '.join(missing) or 'response.id'} "
                                              "(network/tracker/TrackerImporterNetworkHandlerImpl.kt)"])
    result = UploadResult(ok=False, job=str(job))
    time.sleep(first_delay)
    for _ in range(ATTEMPTS):
        result.polls += 1
        try:
            notes = client.get(f"tracker/jobs/{job}")
        except NotFound:  # not ready yet
            notes = []
        if not isinstance(notes, list) or any(not {"message", "completed"} <= set(n) for n in notes):
            result.errors.append("job notifications are not a list of {message, completed} (JobQueryCall.kt)")
            return result
        if any(n.get("completed") for n in notes):
            return _read_report(client, result)
        time.sleep(interval)
    result.errors.append("the job did not complete within the SDK's 91 polls")
    return result


def _read_report(client: Dhis2Client, result: UploadResult) -> UploadResult:
    report = client.get(f"tracker/jobs/{result.job}/report") or {}
    errors = (report.get("validationReport") or {}).get("errorReports") or []
    result.errors += [f"{e.get('errorCode')} on {e.get('trackerType')}" for e in errors]
    bundle = report.get("bundleReport")
    if bundle is not None:
        types = bundle.get("typeReportMap") or {}
        absent = [t for t in TYPES if t not in types]
        if absent:
            result.errors.append(f"bundleReport.typeReportMap lacks {', '.join(absent)} (JobReportHandler.kt)")
        result.created = {t: int(((types.get(t) or {}).get("stats") or {}).get("created", 0)) for t in TYPES}
    result.ok = not result.errors and report.get("status") == "OK"
    return result


def _delete(client: Dhis2Client, te: str) -> bool:
    report = client.import_tracker({"trackedEntities": [{"trackedEntity": te}]}, params={"importStrategy": "DELETE"})
    return report.status == "OK"
