"""GET /api/tracker/* against the 2.42 sandbox: parameters, filters, paging, fields, visibility."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.export.query import parse_filters_2_41
from tests.sandbox.tracker_fixture import ADMIN, LEADER, OFFICER, Meta, event, get, install, person, post, te

TES = "/api/tracker/trackedEntities"


@pytest.fixture
def env(fresh_sandbox: RunningSandbox) -> tuple[RunningSandbox, Meta]:
    return fresh_sandbox, install(fresh_sandbox)


def _load(running: RunningSandbox, m: Meta, names: list[str], org_unit: str | None = None) -> list[dict]:
    people = []
    for name in names:
        p = person(m, org_unit=org_unit)
        p["attributes"] = [{"attribute": m.a_name, "value": name},
                           {"attribute": m.a_age, "value": str(20 + len(people))}]
        people.append(p)
    r = post(running, {"trackedEntities": people})
    assert r.status_code == 200, r.text
    return people


def _ids(body: dict, key: str = "trackedEntities") -> list[str]:
    return [x[key[:-1] if key != "trackedEntities" else "trackedEntity"] for x in body[key]]


def test_program_or_type_is_required(env):
    running, m = env
    r = get(running, TES)
    assert r.status_code == 400
    assert r.json()["message"] == ("Either `program`, `trackedEntityType` or `trackedEntities` "
                                   "should be specified")
    assert get(running, TES, program=m.program, trackedEntityType=m.tet).status_code == 400


@pytest.mark.parametrize("params,message", [
    ({"orgUnitMode": "CAPTURE", "orgUnits": "ouUnknown01"}, "orgUnitMode CAPTURE cannot be used with orgUnits"),
    ({"orgUnitMode": "ACCESSIBLE", "orgUnits": "ouUnknown01"}, "orgUnitMode ACCESSIBLE cannot be used"),
    ({"orgUnitMode": "DESCENDANTS"}, "At least one org unit or tracked entity is required"),
    ({"paging": "false", "pageSize": "5"}, "Paging cannot be disabled with paging=false"),
    ({"page": "0"}, "page must be greater than or equal to 1 if specified"),
    ({"order": "nickname:asc"}, "order parameter is invalid. Cannot order by 'nickname'"),
])
def test_bad_parameters_are_400(env, params, message):
    running, m = env
    r = get(running, TES, program=m.program, **params)
    assert r.status_code == 400 and r.json()["message"].startswith(message), r.text
    assert r.json()["errorCode"] == "E1003"


@pytest.mark.parametrize("params,message", [
    ({"orgUnitMode": "SOMEWHERE"}, "Value 'SOMEWHERE' is not valid for parameter orgUnitMode"),
    ({"updatedAfter": "soon"}, "Value 'soon' is not valid for parameter updatedAfter"),
    ({"trackedEntities": "abc"}, "Value 'abc' is not valid for parameter trackedEntities"),
    ({"page": "one"}, "Value 'one' is not valid for parameter page"),
    # Spring's NumberUtils#parseNumber: Integer#valueOf, no `_`, within the int range
    ({"page": "1_0"}, "Value '1_0' is not valid for parameter page"),
    ({"pageSize": "99999999999"}, "Value '99999999999' is not valid for parameter pageSize"),
    ({"order": "createdAt:up"}, "Value 'createdAt:up' is not valid for parameter order"),
])
def test_parameters_spring_cannot_bind_are_400_without_error_code(env, params, message):
    # CrudControllerAdvice#handleBindException → WebMessageUtils#badRequest(String)
    running, m = env
    r = get(running, TES, program=m.program, **params)
    assert r.status_code == 400 and r.json()["message"].startswith(message), r.text
    assert "errorCode" not in r.json()


def test_paging_integers_are_bound_as_spring_binds_them(env):
    # NumberUtils#parseNumber: whitespace dropped, `Integer#decode` for hex
    running, m = env
    _load(running, m, ["An", "Binh"])
    for size in ("0x1", " 1 ", "#1"):
        body = get(running, TES, program=m.program, pageSize=size).json()
        assert len(body["trackedEntities"]) == 1, (size, body)


def test_an_unknown_filter_attribute_or_data_element_is_named_as_the_mapper_does(env):
    running, m = env
    r = get(running, TES, program=m.program, filter="Zzzzzzzzzz1:eq:x")
    assert r.status_code == 400 and r.json()["errorCode"] == "E1003"
    assert r.json()["message"] == ("attribute filters are invalid. Tracked entity attribute "
                                   "'Zzzzzzzzzz1' does not exist.")
    r = get(running, "/api/tracker/events", program=m.program, filter="Zzzzzzzzzz1:eq:x")
    assert r.status_code == 400 and r.json()["errorCode"] == "E1003"
    assert r.json()["message"] == "filter is invalid. Data element 'Zzzzzzzzzz1' does not exist."


def test_pager_with_next_and_prev_links(env):
    running, m = env
    _load(running, m, ["A", "B", "C"])
    first = get(running, TES, program=m.program, pageSize=2, totalPages="true").json()
    assert first["pager"]["total"] == 3 and first["pager"]["pageCount"] == 2
    assert "prevPage" not in first["pager"] and len(first["trackedEntities"]) == 2
    assert first["pager"]["nextPage"].startswith(running.url + TES + "?")
    second = get(running, TES, program=m.program, pageSize=2, page=2).json()
    assert "nextPage" not in second["pager"] and "page=1" in second["pager"]["prevPage"]
    assert set(second) == {"pager", "trackedEntities"}
    unpaged = get(running, TES, program=m.program, paging="false").json()
    assert set(unpaged) == {"trackedEntities"} and len(unpaged["trackedEntities"]) == 3


@pytest.mark.parametrize("flt,expected", [
    ("{name}:eq:Lan", ["Lan"]), ("{name}:ieq:lan", ["Lan"]), ("{name}:like:an", ["Lan", "Tan"]),
    ("{name}:sw:b", ["Binh"]), ("{name}:ew:N", ["Lan", "Tan"]), ("{name}:in:Lan;Binh", ["Lan", "Binh"]),
    ("{name}:ne:Lan", ["Binh", "Tan"]), ("{age}:gt:20", ["Binh", "Tan"]),
    ("{age}:ge:21:le:21", ["Binh"]), ("{phone}:null", ["Lan", "Binh", "Tan"]),
    ("{name}:!null", ["Lan", "Binh", "Tan"]), ("{name}:nlike:an", ["Binh"]),
])
def test_attribute_filters(env, flt, expected):
    running, m = env
    people = _load(running, m, ["Lan", "Binh", "Tan"])
    names = {p["trackedEntity"]: p["attributes"][0]["value"] for p in people}
    spec = flt.format(name=m.a_name, age=m.a_age, phone=m.a_phone)
    r = get(running, TES, program=m.program, filter=spec)
    assert r.status_code == 200, r.text
    assert [names[u] for u in _ids(r.json())] == expected


def test_filter_escapes_and_errors(env):
    running, m = env
    t = te(m, attributes={m.a_name: "a:b,c"})
    post(running, {"trackedEntities": [t]})
    r = get(running, TES, trackedEntityType=m.tet, filter=f"{m.a_name}:eq:a/:b/,c")
    assert _ids(r.json()) == [t["trackedEntity"]]
    bad = get(running, TES, trackedEntityType=m.tet, filter=f"{m.a_name}:zz:1")
    assert bad.status_code == 400 and "'zz' is not a valid operator." in bad.json()["message"]
    unary = get(running, TES, trackedEntityType=m.tet, filter=f"{m.a_name}:null:1")
    assert unary.status_code == 400 and "cannot have a value" in unary.json()["message"]


def test_filter_operators_read_as_query_operator_from_string(env):
    # FilterParser#parseFilters/#getQueryOperator and QueryOperator#fromString (2.42.5, 2.43.1)
    running, m = env
    lan, mai = te(m, attributes={m.a_name: "Lan"}), te(m, attributes={m.a_name: "Mai"})
    post(running, {"trackedEntities": [lan, mai]})
    a = m.a_name

    def found(given: str) -> list[str]:
        r = get(running, TES, trackedEntityType=m.tet, filter=given)
        assert r.status_code == 200, r.text
        return _ids(r.json())

    assert found(f"{a}:!eq:Lan") == [mai["trackedEntity"]]
    assert found(f"{a}:!like:an") == [mai["trackedEntity"]]
    assert sorted(found(f"{a}:nnull")) == sorted([lan["trackedEntity"], mai["trackedEntity"]])
    assert sorted(found(f"{a}:")) == sorted(found(a))
    missing = get(running, TES, trackedEntityType=m.tet, filter=f"{a}::eq:1")
    assert missing.status_code == 400
    assert missing.json()["message"] == (f"filter={a}::eq:1 is invalid. UID '{a}' is missing an "
                                         "operator (or has too many ':').")


def test_default_fields_and_nested_selection(env):
    running, m = env
    p = _load(running, m, ["Lan"])[0]
    item = get(running, TES, program=m.program).json()["trackedEntities"][0]
    assert not {"enrollments", "relationships", "programOwners", "events"} & set(item)
    assert {"trackedEntity", "trackedEntityType", "createdAt", "updatedAt", "orgUnit", "inactive",
            "deleted", "potentialDuplicate", "attributes"} <= set(item)
    nested = get(running, TES, program=m.program,
                 fields="trackedEntity,attributes[attribute,value],enrollments[enrollment,status]"
                 ).json()["trackedEntities"][0]
    assert nested["enrollments"] == [{"enrollment": p["enrollments"][0]["enrollment"],
                                      "status": "ACTIVE"}]
    assert all(set(a) == {"attribute", "value"} for a in nested["attributes"])
    enrollment_item = get(running, "/api/tracker/enrollments", program=m.program).json()["enrollments"][0]
    assert not {"events", "attributes", "relationships"} & set(enrollment_item)


def test_updated_after_and_before_are_inclusive(env):
    running, m = env
    p = _load(running, m, ["Lan"])[0]
    stamp = tracker_store.get(running.store, "trackedEntity", p["trackedEntity"])["updated"]
    assert _ids(get(running, TES, program=m.program, updatedAfter=stamp).json()) == [p["trackedEntity"]]
    assert _ids(get(running, TES, program=m.program, updatedBefore=stamp).json()) == [p["trackedEntity"]]
    day = stamp[:10]
    assert _ids(get(running, TES, program=m.program, updatedBefore=day).json()) == [p["trackedEntity"]]
    later = (datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%f") + timedelta(milliseconds=1))
    after = later.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    assert _ids(get(running, TES, program=m.program, updatedAfter=after).json()) == []


def test_enrollments_take_no_updated_before(env):
    # EnrollmentRequestParams has updatedAfter and updatedWithin only (2.41.9, 2.42.5, 2.43.1);
    # `updatedBefore` is not bound there, so it neither filters nor fails.
    running, m = env
    p = _load(running, m, ["Lan"])[0]
    url = "/api/tracker/enrollments"
    for value in ("2000-01-01", "not a date"):
        r = get(running, url, program=m.program, updatedBefore=value)
        assert r.status_code == 200, r.text
        assert [e["trackedEntity"] for e in r.json()["enrollments"]] == [p["trackedEntity"]]
    assert get(running, TES, program=m.program, updatedBefore="2000-01-01").json()["trackedEntities"] == []


def test_an_unreadable_updated_date_is_400_without_any_row(env):
    # StartDateTime/EndDateTime#of fail while Spring binds the request parameters, before the
    # controller reads a row: a 400 even where nothing would be returned.
    running, m = env
    for path, name in (("/api/tracker/enrollments", "updatedAfter"), ("/api/tracker/events", "updatedBefore"),
                       (TES, "updatedAfter")):
        r = get(running, path, program=m.program, **{name: "notadate"})
        assert r.status_code == 400, (path, r.text)
        # ConversionFailedException: its cause, Joda's message (getConversionErrorMessage)
        assert r.json()["message"] == (
            f'Value \'notadate\' is not valid for parameter {name}. Invalid format: "notadate"')
        assert "errorCode" not in r.json()


def test_updated_dates_are_read_as_date_utils_reads_them(env):
    # StartDateTime#of → DateUtils#parseDate, EndDateTime#of → #parseDateEndOfTheDay: Joda's
    # parsers (fields of one or two digits, a date-time without minutes), no trimming, and
    # every date-only form (yyyyMMdd, yyyy-MM) is the end of that day for a …Before.
    running, m = env
    p = _load(running, m, ["Lan"])[0]
    with running.store.lock:
        running.store.conn.execute("UPDATE tracked_entities SET updated = ? WHERE uid = ?",
                                   ("2025-03-04T10:20:30.000", p["trackedEntity"]))
    found = [p["trackedEntity"]]
    for name, value, ids in (
            ("updatedBefore", "20250304", found), ("updatedBefore", "2025-03", []),
            ("updatedBefore", "2025-3-4", found), ("updatedAfter", "2025-3-4", found),
            ("updatedAfter", "2025-03-04T10", found), ("updatedAfter", "2025-03-04T11", []),
            ("updatedBefore", "2025-03-04T10:20", []),
            ("updatedAfter", "2025-03-04T12:20:30+02:00", found)):
        r = get(running, TES, program=m.program, **{name: value})
        assert r.status_code == 200, (name, value, r.text)
        assert _ids(r.json()) == ids, (name, value)
    for value, problem in ((" 2025-03-04", 'Invalid format: " 2025-03-04"'),
                           ("2025-03-04x", 'Invalid format: "2025-03-04x" is malformed at "x"')):
        r = get(running, TES, program=m.program, updatedAfter=value)
        assert r.status_code == 400
        assert r.json()["message"] == (
            f"Value '{value}' is not valid for parameter updatedAfter. {problem}")


def test_updated_dates_are_read_by_date_utils_parse_date(env):
    # StartDateTime#of is DateUtils#parseDate (2.41.9, 2.42.5, 2.43.1): Joda's one- or two-digit
    # months and days, no trimming, and the space form only with a zone.
    running, m = env
    p = _load(running, m, ["Lan"])[0]
    r = get(running, TES, program=m.program, updatedAfter="2000-1-1")
    assert r.status_code == 200 and _ids(r.json()) == [p["trackedEntity"]], r.text
    assert get(running, TES, program=m.program, updatedAfter="2000-01-01 10:00:00+00").status_code == 200
    for value in (" 2000-01-01", "2000-01-01 10:00:00"):
        r = get(running, TES, program=m.program, updatedAfter=value)
        assert r.status_code == 400, (value, r.text)
        # the ConversionFailedException's cause: Joda's "Invalid format" (row above)
        assert r.json()["message"].startswith(
            f"Value '{value}' is not valid for parameter updatedAfter. Invalid format: \"{value}\""), r.text


def test_updated_within(env):
    # TrackedEntityRequestParamsMapper / EnrollmentRequestParamsMapper / EventRequestParamsMapper
    # (2.41.9, 2.42.5, 2.43.1): lastUpdatedDuration filters; bad value or combination → 400.
    running, m = env
    recent, old = _load(running, m, ["Mới", "Cũ"])
    with running.store.lock:
        running.store.conn.execute("UPDATE tracked_entities SET updated = ? WHERE uid = ?",
                                   ("2020-01-01T00:00:00.000", old["trackedEntity"]))
    assert _ids(get(running, TES, program=m.program, updatedWithin="1h").json()) == [
        recent["trackedEntity"]]
    assert len(_ids(get(running, TES, program=m.program).json())) == 2
    # DURATION_PATTERN's `\d` is Java's, ASCII digits only: an Arabic-Indic one is invalid.
    for value in ("abc", "1w", "1h2", "h", "\u0661h"):
        r = get(running, TES, program=m.program, updatedWithin=value)
        assert r.status_code == 400 and r.json()["message"] == f"`updatedWithin` is not valid: {value}"
    both = get(running, TES, program=m.program, updatedWithin="1d", updatedAfter="2020-01-01")
    assert both.status_code == 400
    assert both.json()["message"] == ("`updatedAfter` or `updatedBefore` and `updatedWithin` "
                                      "cannot be specified simultaneously")
    enr = get(running, "/api/tracker/enrollments", program=m.program, updatedWithin="1d",
              updatedAfter="2020-01-01")
    assert enr.status_code == 400
    assert enr.json()["message"] == ("`updatedAfter` and `updatedWithin` cannot be specified "
                                     "simultaneously")
    assert get(running, "/api/tracker/enrollments", program=m.program,
               updatedWithin="1d").status_code == 200
    ev = get(running, "/api/tracker/events", program=m.program, updatedWithin="x")
    assert ev.status_code == 400 and ev.json()["message"] == "Duration is not valid: x"



@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_updated_within_is_read_as_java_reads_it(sandbox_factory, version: str) -> None:
    # DateUtils#getDuration (2.41.9 :826-843, 2.42.5 :863-880, 2.43.1 :849-867): `$` also
    # matches before a final line terminator; Long#valueOf of more than a long is a
    # NumberFormatException (the IllegalArgumentException handler's 400, no errorCode);
    # Duration#of past a long of seconds an ArithmeticException (the default handler's 500);
    # a repeated parameter is bound joined with commas; all before the program is looked up.
    running = sandbox_factory(version=version)
    m = install(running)
    (recent,) = _load(running, m, ["Mới"])
    for value in ("1h\n", "1h\r\n"):
        r = get(running, TES, program=m.program, updatedWithin=value)
        assert r.status_code == 200 and _ids(r.json()) == [recent["trackedEntity"]], r.text
    twice = requests.get(f"{running.url}/api/tracker/events", auth=ADMIN, timeout=30,
                         params=[("program", m.program), ("updatedWithin", "5d"),
                                 ("updatedWithin", "6d")])
    assert (twice.status_code, twice.json()["message"]) == (400, "Duration is not valid: 5d,6d")
    for path in (TES, "/api/tracker/enrollments", "/api/tracker/events"):
        big = get(running, path, program=m.program, updatedWithin="99999999999999999999d")
        assert big.status_code == 400, big.text
        assert big.json()["message"] == 'For input string: "99999999999999999999"'
        assert "errorCode" not in big.json()
        over = get(running, path, program=m.program, updatedWithin="106751991167301d")
        assert (over.status_code, over.json()["message"]) == (500, "long overflow")
    # the request params mappers check it before the service looks the program up; 2.43's
    # /events alone looks its program up first (EventsExportController)
    for path, message in ((TES, "`updatedWithin` is not valid: x"),
                          ("/api/tracker/enrollments", "`updatedWithin` is not valid: x"),
                          ("/api/tracker/events", "Duration is not valid: x")):
        r = get(running, path, program="NoSuchProg1", updatedWithin="x")
        expected = ("Program is specified but does not exist: NoSuchProg1"
                    if version == "2.43" and path.endswith("events") else message)
        assert (r.status_code, r.json()["message"]) == (400, expected), path
    # 9223372036854775807 seconds fit a Duration; a window reaching before year 1 keeps all
    far = get(running, TES, program=m.program, updatedWithin="9223372036854775807s")
    assert far.status_code == 200 and _ids(far.json()) == [recent["trackedEntity"]]

@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_updated_within_reaching_before_year_1000_keeps_the_rows(sandbox_factory, version: str):
    # DateUtils#nowMinusDuration (2.41.9 :802-808, 2.42.5 :839-845, 2.43.1 :825-831): the bound
    # is a Date the stores compare `lastupdated >=` with (2.41.9/2.42.5 write it into the SQL
    # of the tracked entities and enrollments with #toLongGmtDate, Joda's `yyyy` padding the
    # year to four digits; the events and 2.43.1 pass a timestamp), so a window back to the
    # year 658 keeps what was updated since.
    running = sandbox_factory(version=version)
    m = install(running)
    (recent,) = _load(running, m, ["Mới"])
    en_uid = recent["enrollments"][0]["enrollment"]
    ev = event(m, en_uid)
    assert post(running, {"events": [ev]}).status_code == 200
    for path, key, expected in ((TES, "trackedEntities", recent["trackedEntity"]),
                                ("/api/tracker/enrollments", "enrollments", en_uid),
                                ("/api/tracker/events", "events", ev["event"])):
        r = get(running, path, program=m.program, updatedWithin="500000d")
        assert r.status_code == 200, r.text
        assert _ids(r.json(), key) == [expected], path


def test_org_unit_modes(env):
    running, m = env
    here = _load(running, m, ["Here"])[0]
    there = _load(running, m, ["There"], org_unit=m.sibling)[0]
    far = _load(running, m, ["Far"], org_unit=m.other)[0]
    sel = get(running, TES, program=m.program, orgUnits=m.commune).json()
    assert _ids(sel) == [here["trackedEntity"]]
    desc = get(running, TES, program=m.program, orgUnits=m.province, orgUnitMode="DESCENDANTS").json()
    assert set(_ids(desc)) == {here["trackedEntity"], there["trackedEntity"]}
    children = get(running, TES, program=m.program, orgUnits=m.province, orgUnitMode="CHILDREN").json()
    assert set(_ids(children)) == {here["trackedEntity"], there["trackedEntity"]}
    everything = get(running, TES, program=m.program, orgUnitMode="ALL").json()
    assert len(everything["trackedEntities"]) == 3
    leader_accessible = get(running, TES, auth=LEADER, program=m.program).json()
    assert set(_ids(leader_accessible)) == {here["trackedEntity"], there["trackedEntity"]}
    leader_capture = get(running, TES, auth=LEADER, program=m.program, orgUnitMode="CAPTURE").json()
    assert _ids(leader_capture) == [here["trackedEntity"]]
    outside = get(running, TES, auth=LEADER, program=m.program, orgUnits=m.other)
    assert outside.status_code == 403
    assert far["trackedEntity"] not in _ids(get(running, TES, auth=OFFICER, program=m.program).json())


def test_single_tracked_entity_outside_scope_is_404(env):
    running, m = env
    far = _load(running, m, ["Far"], org_unit=m.other)[0]
    r = get(running, f"{TES}/{far['trackedEntity']}", auth=LEADER)
    assert r.status_code == 404
    assert r.json()["message"] == f"TrackedEntity with id {far['trackedEntity']} could not be found."
    assert get(running, f"{TES}/{far['trackedEntity']}").status_code == 200


def test_include_deleted(env):
    running, m = env
    p = _load(running, m, ["Gone"])[0]
    post(running, {"trackedEntities": [{"trackedEntity": p["trackedEntity"]}]}, importStrategy="DELETE")
    assert get(running, TES, trackedEntityType=m.tet).json()["trackedEntities"] == []
    shown = get(running, TES, trackedEntityType=m.tet, includeDeleted="true").json()
    assert shown["trackedEntities"][0]["deleted"] is True


def test_events_enrollments_and_relationships(env):
    running, m = env
    p = _load(running, m, ["Lan"])[0]
    en_uid = p["enrollments"][0]["enrollment"]
    ev = event(m, en_uid, values={m.de_number: "7"})
    rel = {"relationshipType": m.rel_type,
           "from": {"trackedEntity": {"trackedEntity": p["trackedEntity"]}},
           "to": {"event": {"event": ev["event"]}}}
    assert post(running, {"events": [ev], "relationships": [rel]}).status_code == 200
    events = get(running, "/api/tracker/events", program=m.program).json()["events"]
    assert events[0]["event"] == ev["event"] and events[0]["trackedEntity"] == p["trackedEntity"]
    assert events[0]["dataValues"][0]["value"] == "7" and "relationships" not in events[0]
    filtered = get(running, "/api/tracker/events", program=m.program, filter=f"{m.de_number}:gt:10")
    assert filtered.json()["events"] == []
    single = get(running, f"/api/tracker/enrollments/{en_uid}").json()
    assert single["trackedEntity"] == p["trackedEntity"] and single["notes"] == []
    rels = get(running, "/api/tracker/relationships", trackedEntity=p["trackedEntity"]).json()
    assert rels["relationships"][0]["to"] == {"event": {"event": ev["event"]}}
    assert get(running, "/api/tracker/relationships").status_code == 400
    both = get(running, "/api/tracker/relationships", trackedEntity=p["trackedEntity"], event=ev["event"])
    assert both.json()["message"] == "Only one of parameters 'trackedEntity', 'enrollment' or 'event' is allowed."


def test_order_by_created_desc(env):
    running, m = env
    first = _load(running, m, ["First"])[0]
    time.sleep(0.01)
    second = _load(running, m, ["Second"])[0]
    ordered = get(running, TES, program=m.program, order="createdAt:desc").json()
    assert _ids(ordered) == [second["trackedEntity"], first["trackedEntity"]]


def test_2_41_filter_list_escapes():
    # RequestParamsValidator#filterList / #escapedFilterValue (2.41.9): `/,` and `/:` are a comma
    # and a colon of the value, a `//` before a comma is one `/` ending the filter
    parsed = parse_filters_2_41("atrFullNam1:eq:a/:b/,c,atrAgeYear1:ge:x//,atrFullNam1:!like:z",
                                lambda _uid: None)
    assert [(f.uid, f.ops) for f in parsed] == [
        ("atrFullNam1", [("eq", "a:b,c"), ("nlike", "z")]), ("atrAgeYear1", [("ge", "x/")])]
    assert [(f.uid, f.ops) for f in parse_filters_2_41("atrFullNam1:", lambda _uid: None)] == [
        ("atrFullNam1", [])]


def test_2_41_filter_list_restores_escapes_in_hash_map_order():
    # RequestParamsValidator#restoreEscape (2.41.9 :520-532) walks its HashMap<Integer, Boolean>
    # of removed `//` positions in bucket order (`key & 15` for up to 12 entries), so a `//` at
    # position 16 is put back before one at 15, and the second lands one place too far
    [parsed] = parse_filters_2_41("atrFullNam1:eq://z//", lambda _uid: None)
    assert parsed.ops == [("eq", "z//")]
    [parsed] = parse_filters_2_41("atrFullNam1:eq:p//q//", lambda _uid: None)
    assert parsed.ops == [("eq", "p/q/")]
