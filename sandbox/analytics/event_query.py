"""`GET /api/analytics/events/query/{program}`: the events of a program as rows, read from the
analytics tables (so, like the aggregates, stale until the next refresh).

Who may ask, in the order DHIS2 decides it (`analytics/event/data/EventQueryService.java#getEvents`
→ `analytics/security/DefaultAnalyticsSecurityManager.java#decideAccessEventQuery`; the same in
2.41.9, 2.42.5 and 2.43.1), each refusal an `IllegalQueryException`, 409 with its E-code:
1. every org unit asked for lies within the user's data view org units, when the user has any,
   superusers too (`decideAccessDataViewOrganisationUnits`, E7120; 2.43.1 falls back to the
   capture units of a user without data view units, `analytics_data_view_falls_back_to_capture`);
2. the user may read data of the program and of the stage asked for, by data sharing
   (`decideAccessDataReadObjects`, `AclService#canDataRead`, E7121 naming the object's class as
   `TextUtils#getPrettyClassName` writes it);
3. the user holds `F_VIEW_EVENT_ANALYTICS` (`decideAccessEventAnalyticsAuthority`, E7217).
An unknown program (E7129) and an org unit that does not read (E7143) are refused before, while
the request is read (`DefaultEventDataQueryService#getFromRequest`). After the access checks
`DefaultAnalyticsSecurityManager#withUserConstraints` (`#applyOrganisationUnitConstraint`:
2.41.9 :307-338, 2.42.5 :308-339, 2.43.1 :305-343) gives a query without org units the
user's data view org units (superusers too), and only then does `DefaultEventQueryValidator
#validateForErrorMessage` refuse a query still without any (E7200: 2.41.9 :88, 2.42.5 :90, 2.43.1
:98) and one without periods or dates (E7205: :104 / :106 / :124); `getEvents` runs them in that
order (2.41.9 `AbstractAnalyticsService#getGrid` :119-128, `EventQueryService#getEvents`
2.42.5 :118-126, 2.43.1 :97-105).

Parameters: `dimension=ou:…` (UIDs, `LEVEL-n`, `USER_ORGUNIT`…, as `orgunits.py`),
`dimension=pe:…` or `startDate`/`endDate`, `stage`, and item columns `dimension=<data element>`,
`<stage>.<data element>` or `<attribute>` (registration programs). Headers are the subset of
`EventQueryService#createGridWithHeaders` the tables hold (`psi`, `ps`, `eventdate`,
`scheduleddate`, for registration programs `enrollmentdate`, `incidentdate`, `tei`, `pi`; then
`ouname`, `oucode`, `eventstatus`, `ou`) and the items, named by `common/ColumnHeader`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from werkzeug.routing import Rule
from werkzeug.wrappers import Response

from scdi.sandbox.access import acl
from scdi.sandbox.analytics import orgunits, periods
from scdi.sandbox.core import webmessage
from scdi.sandbox.core.context import Ctx
from scdi.sandbox.core.programs import is_registration
from scdi.sandbox.core.users import User

VIEW_EVENT_ANALYTICS = "F_VIEW_EVENT_ANALYTICS"


def _conflict(message: str, code: str) -> webmessage.HttpError:
    return webmessage.fail(webmessage.error(409, message, code))


def decide_access(user: User, units: list[orgunits.Unit], tree: dict[str, orgunits.Unit],
                  objects: list[tuple[str, dict[str, Any]]], fallback: bool = False,
                  max_level: int | None = None) -> None:
    """`DefaultAnalyticsSecurityManager#decideAccessEventQuery` (see the module's steps)."""
    outside = orgunits.outside_data_view(user, units, tree, fallback, max_level)
    if outside is not None:
        raise _conflict(f"User: `{user.username}` is not allowed to view org unit: `{outside.uid}`", "E7120")
    for label, obj in objects:
        if not acl.can_data_read(user, obj):
            raise _conflict(f"User: `{user.username}` is not allowed to read data for `{label}`: `{obj['id']}`",
                            "E7121")
    if not user.has(VIEW_EVENT_ANALYTICS):
        raise _conflict(f"User is not allowed to view event analytics data: `{user.username}`", "E7217")


def _header(name: str, column: str, value_type: str = "TEXT") -> dict[str, Any]:
    return {"name": name, "column": column, "valueType": value_type,
            "type": "java.time.LocalDateTime" if value_type == "DATETIME" else "java.lang.String",
            "hidden": False, "meta": True}


def query(ctx: Ctx, program: str) -> Response:
    args = ctx.request.args
    doc = ctx.store.get_object("programs", program)
    if doc is None:
        raise _conflict(f"Program is specified but does not exist: `{program}`", "E7129")
    dims: dict[str, list[str]] = {}
    items: list[str] = []
    for param in args.getlist("dimension"):
        name, sep, rest = param.partition(":")
        if name in ("ou", "pe") and sep:
            dims[name] = [i for i in rest.split(";") if i]
        else:
            items.append(name)
    tree = orgunits.units(ctx.store)
    units: list[orgunits.Unit] = []
    if dims.get("ou"):
        try:
            units = orgunits.resolve(dims["ou"], tree, ctx.user)
        except orgunits.OrgUnitError as exc:
            raise _conflict(f"Organisation unit or organisation unit level is not valid: `{exc}`", "E7143") from None
    stage_uid = args.get("stage")
    stage = ctx.store.get_object("programStages", stage_uid) if stage_uid else None
    decide_access(ctx.user, units, tree, [("Program", doc)] + ([("Program stage", stage)] if stage else []),
                  ctx.release.analytics_data_view_falls_back_to_capture,
                  orgunits.max_view_level(ctx.store, ctx.user))
    if not units:
        # withUserConstraints (#applyOrganisationUnitConstraint, superusers too): a query without
        # org units reads the user's data view units; only then does the validator ask for any
        units = [tree[u] for u in ctx.user.view_org_units if u in tree]
    if not units:
        raise _conflict("At least one organisation unit must be specified", "E7200")
    window = _window(ctx, dims.get("pe") or [])
    # the enrollment headers: 2.41.9 DefaultEventAnalyticsService :746, 2.42.5
    # EventQueryService :275, 2.43.1 :269 (`Program#isRegistration` of the stored program)
    registration = is_registration(doc)
    conn = ctx.store.conn
    sql = ("SELECT ev.uid, ev.stage, ev.occurred, ev.scheduled, ev.enrollment, ev.te, ev.org_unit, ev.status, "
           "en.enrollment_date, en.incident_date FROM analytics_event ev "
           "LEFT JOIN analytics_enrollment en ON en.uid = ev.enrollment WHERE ev.program = ?")
    params: list[Any] = [program]
    if stage_uid:
        sql += " AND ev.stage = ?"
        params.append(stage_uid)
    if window is not None:
        sql += " AND ev.occurred >= ? AND ev.occurred <= ?"
        params += [window[0].isoformat(), window[1].isoformat()]
    found = [r for r in conn.execute(sql + " ORDER BY ev.occurred DESC, ev.uid", params).fetchall()
             if r[6] in tree and any(orgunits.within(tree[r[6]].path, u) for u in units)]
    values = _values(conn, [r[0] for r in found], [r[5] for r in found if r[5]])
    headers = [_header("psi", "Event"), _header("ps", "Program stage"), _header("eventdate", "Event date", "DATETIME"),
               _header("scheduleddate", "Scheduled date", "DATETIME")]
    if registration:
        headers += [_header("enrollmentdate", "Enrollment date", "DATETIME"),
                    _header("incidentdate", "Incident date", "DATETIME"),
                    _header("tei", "Tracked entity"), _header("pi", "Enrollment")]
    headers += [_header("ouname", "Organisation unit name"), _header("oucode", "Organisation unit code"),
                _header("eventstatus", "Event status"), _header("ou", "Organisation unit")]
    headers += [_header(item, item) for item in items]
    codes = {u["id"]: u.get("code") or "" for u in ctx.store.list_objects("organisationUnits")}
    rows = []
    for uid, stage_id, occurred, scheduled, enrollment, te, ou, status, enrolled, incident in found:
        row = [uid, stage_id, _stamp(occurred), _stamp(scheduled)]
        if registration:
            row += [_stamp(enrolled), _stamp(incident), te or "", enrollment or ""]
        row += [tree[ou].name, codes.get(ou, ""), status, ou]
        row += [values.get((uid, item.split(".")[-1])) or values.get((te, item)) or "" for item in items]
        rows.append(row)
    body = {"headers": headers, "metaData": {"items": {u.uid: orgunits.meta(u) for u in units},
                                             "dimensions": {"ou": [u.uid for u in units], "pe": dims.get("pe", [])}},
            "rowContext": {}, "rows": rows, "headerWidth": len(headers), "width": len(headers),
            "height": len(rows)}
    return webmessage.json_response(body)


def _window(ctx: Ctx, pes: list[str]) -> tuple[date, date] | None:
    args = ctx.request.args
    if pes:
        try:
            resolved = periods.resolve(pes, date.today(), ctx.release.financial_year_period_types)
        except periods.PeriodError as exc:
            raise _conflict(f"Dimension is present in query without any valid dimension options: `pe` ({exc})",
                            "E7124") from None
        return min(p.start for p in resolved), max(p.end for p in resolved)
    if args.get("startDate") and args.get("endDate"):
        return date.fromisoformat(args["startDate"][:10]), date.fromisoformat(args["endDate"][:10])
    raise _conflict("Start and end date or at least one period must be specified", "E7205")


def _stamp(day: str | None) -> str:
    return f"{day} 00:00:00.0" if day else ""


def _values(conn: Any, events: list[str], tes: list[str]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for chunk in (events[i:i + 500] for i in range(0, len(events), 500)):
        marks = ",".join("?" * len(chunk))
        for event, element, value in conn.execute(
                f"SELECT event, data_element, value FROM analytics_event_value WHERE event IN ({marks})", chunk):  # noqa: S608
            out[(event, element)] = value
    for chunk in (tes[i:i + 500] for i in range(0, len(tes), 500)):
        marks = ",".join("?" * len(chunk))
        for te, attribute, value in conn.execute(
                f"SELECT te, attribute, value FROM analytics_te_value WHERE te IN ({marks})", chunk):  # noqa: S608
            out[(te, attribute)] = value
    return out


RULES = (
    Rule("/api/analytics/events/query/<program>", endpoint=query, methods=["GET"]),
)
