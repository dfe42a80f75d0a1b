"""The change log endpoints' `program`, `order`, `filter` and `fields` parameters, per release
(`sandbox/tracker/export/change_logs.py`, `change_log_params.py`)."""

from __future__ import annotations

from typing import Any

from scdi.upstream.releases import RELEASES
from tests.sandbox.helpers import bad_request_page
from tests.sandbox.tracker_fixture import Meta, enrollment, event, get, post, te


def enable_change_logs(running: Any, *objects: tuple[str, str]) -> None:
    """Set `enableChangeLog` on (plural, uid) objects: 2.43 logs changes only for those; and
    `allowAuditLog` on a tracked entity type, without which 2.41 logs no attribute change."""
    for plural, object_uid in objects:
        obj = running.store.get_object(plural, object_uid)
        obj["enableChangeLog"] = True
        if plural == "trackedEntityTypes":
            obj["allowAuditLog"] = True
        running.store.put_object(plural, obj)


def _history(running: Any, m: Meta, logged: bool = True) -> tuple[str, str]:
    """A tracked entity whose name changed once, with a type attribute and a program attribute,
    and an event whose number changed once."""
    if logged:
        enable_change_logs(running, ("trackedEntityTypes", m.tet), ("programs", m.program))
    person = te(m, attributes={m.a_name: "Tran Thi E", m.a_tet_mandatory: "x"})
    en = enrollment(m, person["trackedEntity"])
    ev = event(m, en["enrollment"], values={m.de_number: "3"})
    assert post(running, {"trackedEntities": [person], "enrollments": [en],
                          "events": [ev]}).status_code == 200
    person["attributes"] = [{"attribute": m.a_name, "value": "Tran Thi F"}]
    ev["dataValues"] = [{"dataElement": m.de_number, "value": "4"}]
    assert post(running, {"trackedEntities": [person], "events": [ev]}).status_code == 200
    return person["trackedEntity"], ev["event"]


def _changes(running: Any, path: str, **params: str) -> list[tuple[str, str, str | None]]:
    answer = get(running, path, **params)
    assert answer.status_code == 200, answer.text
    out = []
    for entry in answer.json()["changeLogs"]:
        (change,) = entry["change"].values()
        name = change.get("attribute") or change.get("dataElement") or change.get("field")
        out.append((entry["type"], name, change.get("currentValue")))
    return out


def _message(running: Any, path: str, **params: str) -> str:
    answer = get(running, path, **params)
    assert answer.status_code == 400, answer.text
    message: str = answer.json()["message"]
    return message


def test_tracked_entity_change_logs_show_the_type_or_the_program_attributes(env):
    _, running, m = env
    te_uid, _ = _history(running, m)
    path = f"/api/tracker/trackedEntities/{te_uid}/changeLogs"
    # without a program the type's attributes only: the enrollment's national id is left out
    assert _changes(running, path) == [("UPDATE", m.a_name, "Tran Thi F"),
                                       ("CREATE", m.a_tet_mandatory, "x"),
                                       ("CREATE", m.a_name, "Tran Thi E")]
    by_program = _changes(running, path, program=m.program)
    assert [name for _, name, _ in by_program] == [m.a_name, m.a_nid, m.a_name]
    assert _message(running, path, program="abc").startswith(
        "Value 'abc' is not valid for parameter program.")
    assert _message(running, path, program="") == (
        "program cannot be empty. UID must be an alphanumeric string of 11 characters starting "
        "with a letter, but was: ")
    # a binding error (CrudControllerAdvice#methodArgumentTypeMismatchException): no errorCode,
    # nor for an order direction Spring cannot bind (#handleBindException)
    assert "errorCode" not in get(running, path, program="abc").json()
    sideways = get(running, path, order="createdAt:sideways")
    assert sideways.status_code == 400 and "errorCode" not in sideways.json()
    assert get(running, path, order="nope").json()["errorCode"] == "E1003"
    unknown = get(running, path, program="prgUnknown1")
    assert unknown.status_code == 404
    assert unknown.json()["message"] == "Program with id prgUnknown1 could not be found."


def test_change_log_order_per_release(env):
    version, running, m = env
    te_uid, ev_uid = _history(running, m)
    te_path = f"/api/tracker/trackedEntities/{te_uid}/changeLogs"
    ev_path = f"/api/tracker/events/{ev_uid}/changeLogs"
    assert _changes(running, te_path, order="createdAt:asc") == [
        ("CREATE", m.a_name, "Tran Thi E"), ("CREATE", m.a_tet_mandatory, "x"),
        ("UPDATE", m.a_name, "Tran Thi F")]
    repeated = _message(running, te_path, order="createdAt,createdAt:desc")
    if RELEASES[version].tracker_change_log_filters:
        assert version in ("2.42", "2.43")
        # by the attribute's lower-cased name, ties newest first
        assert _changes(running, te_path, order="attribute:desc") == [
            ("CREATE", m.a_tet_mandatory, "x"), ("UPDATE", m.a_name, "Tran Thi F"),
            ("CREATE", m.a_name, "Tran Thi E")]
        # the last order wins
        assert _changes(running, te_path, order="attribute:desc,createdAt:asc")[0] == (
            "CREATE", m.a_name, "Tran Thi E")
        assert _changes(running, ev_path, order="change,username:asc")[0][2] == "4"
        assert _message(running, te_path, order="change") == (
            "order parameter is invalid. Cannot order by 'change'. Supported fields are "
            "'attribute, createdAt, username'. All of which can at most be specified once.")
        assert _message(running, ev_path, order="attribute") == (
            "order parameter is invalid. Cannot order by 'attribute'. Supported fields are "
            "'change, createdAt, username'. All of which can at most be specified once.")
        assert repeated == (
            "order parameter is invalid. 'createdAt' are repeated. Supported fields are "
            "'attribute, createdAt, username'. All of which can at most be specified once.")
    else:
        assert _message(running, te_path, order="username") == (
            "order parameter is invalid. Cannot order by 'username'. Supported fields are "
            "'createdAt'. All of which can at most be specified once.")
        assert _message(running, ev_path, order="change") == (
            "order parameter is invalid. Cannot order by 'change'. Supported fields are "
            "'createdAt'. All of which can at most be specified once.")
        assert repeated == (
            "order parameter is invalid. 'createdAt' are repeated. Supported fields are "
            "'createdAt'. All of which can at most be specified once.")


def test_change_log_filter_per_release(env):
    version, running, m = env
    te_uid, ev_uid = _history(running, m)
    te_path = f"/api/tracker/trackedEntities/{te_uid}/changeLogs"
    ev_path = f"/api/tracker/events/{ev_uid}/changeLogs"
    everything = _changes(running, te_path)
    if not RELEASES[version].tracker_change_log_filters:
        # 2.41.9's ChangeLogRequestParams has no `filter`: not read at all
        assert version == "2.41"
        assert _changes(running, te_path, filter=f"attribute:eq:{m.a_name}") == everything
        assert _changes(running, te_path, filter="nonsense") == everything
        return
    assert _changes(running, te_path, filter=f"attribute:EQ:{m.a_name}") == [
        ("UPDATE", m.a_name, "Tran Thi F"), ("CREATE", m.a_name, "Tran Thi E")]
    assert len(_changes(running, te_path, filter="username:eq:admin")) == 3
    assert _changes(running, te_path, filter="username:eq:Admin") == []
    assert _changes(running, ev_path, filter=f"dataElement:eq:{m.de_number}")[0][2] == "4"
    assert _changes(running, ev_path, filter="field:eq:occurredAt") == []
    assert _message(running, te_path, filter="attribute:eq") == (
        "Invalid filter => attribute:eq. Expected format is [field]:eq:[value]. Supported "
        "fields are 'attribute, username'. Only one of them can be specified at a time")
    assert _message(running, ev_path, filter="attribute:eq:x") == (
        "Invalid filter field. Supported fields are 'field, dataElement, username'. Only one "
        "of them can be specified at a time")
    assert _message(running, te_path, filter="username:like:adm") == (
        "Invalid filter operator. The only supported operator is 'eq'.")
    assert _message(running, te_path, filter="attribute:eq:abc") == (
        "Incorrect filter value provided as UID: abc. UID must be an alphanumeric string of 11 "
        "characters starting with a letter.")


def test_change_log_fields(env):
    _, running, m = env
    te_uid, _ = _history(running, m)
    answer = get(running, f"/api/tracker/trackedEntities/{te_uid}/changeLogs",
                 fields="type,createdBy[username]")
    assert answer.json()["changeLogs"][0] == {"type": "UPDATE",
                                              "createdBy": {"username": "admin"}}


def test_2_43_logs_changes_only_where_enable_change_log_is_set(env):
    version, running, m = env
    te_uid, ev_uid = _history(running, m, logged=False)
    te_logs = _changes(running, f"/api/tracker/trackedEntities/{te_uid}/changeLogs")
    ev_logs = _changes(running, f"/api/tracker/events/{ev_uid}/changeLogs")
    if RELEASES[version].tracker_change_logs_opt_in:
        assert version == "2.43"
        assert te_logs == [] and ev_logs == []
    elif RELEASES[version].tracker_attribute_change_logs_need_audit_log:
        assert version == "2.41"
        assert te_logs == [] and len(ev_logs) == 2
    else:
        assert len(te_logs) == 3 and len(ev_logs) == 2


def test_2_41_logs_attribute_changes_only_of_a_type_with_allow_audit_log(env):
    # 2.41.9 AbstractTrackerPersister#delete / #saveOrUpdate (:423, :481):
    # `TrackedEntityType#isAllowAuditLog` gates the attribute value audits the
    # /trackedEntities/{uid}/changeLogs endpoint reads (JdbcTrackedEntityChangeLogStore,
    # trackedEntityAttributeValueAudit); 2.42.5 logs them whatever it says
    version, running, m = env
    tet = running.store.get_object("trackedEntityTypes", m.tet)
    tet["allowAuditLog"] = True
    running.store.put_object("trackedEntityTypes", tet)
    te_uid, _ev_uid = _history(running, m, logged=False)
    te_logs = _changes(running, f"/api/tracker/trackedEntities/{te_uid}/changeLogs")
    assert len(te_logs) == (0 if version == "2.43" else 3)


_ORDER_REFUSALS = [
    # OrderCriteria#valueOf's IllegalArgumentException, SortDirection#of's for the direction
    ("nope:up", "Value 'nope:up' is not valid for parameter order. 'up' is not a valid sort "
                "direction. Valid values are: [ASC, DESC]."),
    ("createdAt:asc:x", "Value 'createdAt:asc:x' is not valid for parameter order. Invalid order "
                        "property: 'createdAt:asc:x'. Valid formats are 'field:direction' or "
                        "'field'. Valid directions are 'asc' or 'desc'. Direction defaults to "
                        "'asc'."),
    (" :asc", "Value ':asc' is not valid for parameter order. Missing field name in order "
              "property: ':asc'. Valid formats are 'field:direction' or 'field'. Valid "
              "directions are 'asc' or 'desc'. Direction defaults to 'asc'."),
    # an empty item of the comma-separated list (StringUtils#commaDelimitedListToStringArray)
    ("createdAt,", "order cannot be empty. Missing field name in order property: ''. Valid "
                   "formats are 'field:direction' or 'field'. Valid directions are 'asc' or "
                   "'desc'. Direction defaults to 'asc'."),
    # "::".split(":") is empty: props[0]'s ArrayIndexOutOfBoundsException
    ("::", "Value '::' is not valid for parameter order. Index 0 out of bounds for length 0"),
]



def _ordered_exports(m, te_uid: str, ev_uid: str) -> list[tuple[str, dict[str, str]]]:
    """The four tracker exports and the two change logs, each with the parameters it needs."""
    return [("/api/tracker/trackedEntities", {"program": m.program}),
            ("/api/tracker/events", {"program": m.program}),
            ("/api/tracker/enrollments", {"program": m.program}),
            ("/api/tracker/relationships", {"trackedEntity": te_uid}),
            (f"/api/tracker/trackedEntities/{te_uid}/changeLogs", {}),
            (f"/api/tracker/events/{ev_uid}/changeLogs", {})]

def test_order_items_spring_cannot_bind_are_answered_with_order_criterias_refusal(env):
    _, running, m = env
    te_uid, ev_uid = _history(running, m)
    paths = _ordered_exports(m, te_uid, ev_uid)
    for path, params in paths:
        for order, message in _ORDER_REFUSALS:
            answer = get(running, path, order=order, **params)
            assert answer.status_code == 400, (path, order, answer.text)
            assert answer.json()["message"] == message, (path, order)
            assert "errorCode" not in answer.json()
        # repeated values are bound whole, not split at their commas
        answer = get(running, path, order=["createdAt", "createdAt,nope:up"], **params)
        assert answer.json()["message"] == (
            "You likely repeated request parameter 'order' and used multiple comma-separated "
            "values within at least one of its values. Choose one of these approaches. 'up' is "
            "not a valid sort direction. Valid values are: [ASC, DESC]."), path
        # a trailing ':' splits away: the direction defaults to asc
        assert get(running, path, order="createdAt:", **params).status_code == 200, path


def test_an_order_item_spring_cannot_bind_is_refused_before_any_program_lookup(env):
    # binding precedes EventsExportController#getEvents, whose 2.43.1 program lookup (:154-161)
    # comes before the request params mapper
    _, running, _ = env
    answer = get(running, "/api/tracker/events", program="Zzzzzzzzzz1", order="nope:up")
    assert answer.status_code == 400, answer.text
    assert answer.json()["message"] == ("Value 'nope:up' is not valid for parameter order. 'up' "
                                        "is not a valid sort direction. Valid values are: "
                                        "[ASC, DESC].")


def test_tracker_beans_take_the_data_binders_defaults_markers_and_array_indices(env):
    # WebDataBinder#doBind (Spring 5.3.39 for 2.41, 6.2.8 for 2.42/2.43): `!name` is name's
    # default, `_name` its empty value, `name[]` is name, for the request params beans' properties
    version, running, m = env
    te_uid, ev_uid = _history(running, m)
    paths = _ordered_exports(m, te_uid, ev_uid)
    for path, params in paths:
        for name in ("order", "page"):
            plain = get(running, path, **{name: "foo"}, **params)
            assert plain.status_code == 400, (path, plain.text)
            for form in (f"!{name}", f"{name}[]"):
                answer = get(running, path, **{form: "foo"}, **params)
                assert answer.status_code == 400, (path, form, answer.text)
                assert answer.json() == plain.json(), (path, form)
            # a given value wins over the default and the marker
            assert get(running, path, **{f"!{name}": "foo", f"_{name}": "", name: "1"
                                         if name == "page" else "createdAt"},
                       **params).status_code == 200, (path, name)
    te_path = f"/api/tracker/trackedEntities/{te_uid}/changeLogs"
    assert len(get(running, te_path, **{"pageSize[]": "1"}).json()["changeLogs"]) == 1
    assert len(get(running, te_path, **{"!pageSize": "2"}).json()["changeLogs"]) == 2
    marked = get(running, te_path, _pageSize="")
    if RELEASES[version].tracker_change_log_page_params:
        # `Integer pageSize`: the marker's null is the default page size
        assert marked.status_code == 200 and len(marked.json()["changeLogs"]) == 3
    else:
        # 2.41.9 `int pageSize`: null cannot be bound to it
        assert marked.status_code == 400
        assert marked.json()["message"] == "pageSize cannot be empty. It should be of type int"
    # `_includeDeleted` is false, `!trackedEntities` a default for the bean's `Set<UID>`
    listed = get(running, "/api/tracker/trackedEntities", program=m.program,
                 **{"!trackedEntities": te_uid, "_includeDeleted": ""})
    assert [t["trackedEntity"] for t in listed.json()["trackedEntities"]] == [te_uid]
    # 2.43's `/events` also binds `@RequestParam UID program`, which reads the request as sent:
    # `!program` sets the bean's property only, so the parameter is still missing
    events = get(running, "/api/tracker/events", **{"!program": m.program})
    if RELEASES[version].program_required_on_events_and_enrollments:
        assert bad_request_page(events) == "Required parameter 'program' is not present."
    else:
        assert events.status_code == 200, events.text


def test_the_export_beans_string_properties_take_the_data_binders_forms(env):
    # `String updatedWithin` is a property of Tracked-entity-, Enrollment- and EventRequestParams
    # (2.43's Tracker-/SingleEventRequestParams too), 2.41's `query`, `attribute` and
    # `includeAllAttributes` of TrackedEntityRequestParams: WebDataBinder#doBind binds `!name`
    # and `name[]` for them as for any property (the mappers then read what was bound)
    version, running, m = env
    paths = [("/api/tracker/trackedEntities", "`updatedWithin` is not valid: x"),
             ("/api/tracker/enrollments", "`updatedWithin` is not valid: x"),
             ("/api/tracker/events", "Duration is not valid: x")]
    if version == "2.43":
        paths += [("/api/tracker/trackerEvents", "Duration is not valid: x"),
                  ("/api/tracker/singleEvents", "Duration is not valid: x")]
    for path, message in paths:
        for form in ("!updatedWithin", "updatedWithin[]"):
            answer = get(running, path, program=m.program, **{form: "x"})
            assert answer.status_code == 400, (path, form, answer.text)
            assert answer.json()["message"] == message, (path, form)
    if version != "2.41":
        return
    for name, tail in (("query", " Use `filter` instead."), ("attribute", " Use `filter` instead."),
                       ("includeAllAttributes", "")):
        answer = get(running, "/api/tracker/trackedEntities", program=m.program,
                     **{f"!{name}": "x"})
        assert answer.status_code == 400, (name, answer.text)
        assert answer.json()["message"] == f"`{name}` parameter was removed in v41.{tail}"
