"""`GET /api/analytics` for a program indicator (2.41.9, 2.42.5 and 2.43.1 alike): the grid's
headers and rows (AnalyticsController#getJson, DefaultAnalyticsService, common/Grid and
GridHeader) and `metaData` (analytics/data/handler/MetadataHandler#addMetaData): `items` from
AnalyticsUtils#getDimensionMetadataItemMap, names only unless `includeMetadataDetails=true`,
named by `displayProperty`."""

from __future__ import annotations

import requests

from tests.sandbox.helpers import ADMIN, post_metadata, refresh_analytics, seeded_user
from tests.sandbox.tracker_fixture import event, person, post

PI = {"id": "piAnaEvent1", "name": "Events counted", "shortName": "Events",
      "analyticsType": "EVENT", "expression": "V{event_count}", "aggregationType": "COUNT"}


def _answer(env, dimension=None, **params):  # type: ignore[no-untyped-def]
    _version, running, m = env
    url = running.url
    assert post_metadata(url, {"programIndicators": [PI | {"program": {"id": m.event_program}}]}
                         ).status_code == 200
    ev = event(m, None, stage=m.event_stage, values={m.de_number: "2"}, occurredAt="2025-01-12")
    assert post(running, {"events": [ev]}).status_code == 200
    refresh_analytics(url)
    answer = requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=30, params={
        "dimension": dimension or [f"dx:{PI['id']}", "pe:202501;202502", f"ou:{m.commune}"],
        **params})
    assert answer.status_code == 200, answer.text
    return m, answer.json()


def test_the_grid_of_a_program_indicator(env) -> None:  # type: ignore[no-untyped-def]
    m, body = _answer(env)
    assert [h["name"] for h in body["headers"]] == ["dx", "pe", "ou", "value"]
    assert body["headers"][-1] == {"name": "value", "column": "Value", "valueType": "NUMBER",
                                   "type": "java.lang.Double", "hidden": False, "meta": False}
    # a row only where there is a value: February has none
    assert body["rows"] == [[PI["id"], "202501", m.commune, "1"]]
    assert (body["headerWidth"], body["width"], body["height"]) == (4, 4, 1)
    assert body["metaData"]["dimensions"] == {
        "dx": [PI["id"]], "pe": ["202501", "202502"], "ou": [m.commune], "co": []}


def test_metadata_items_are_names_unless_details_are_asked(env) -> None:  # type: ignore[no-untyped-def]
    m, body = _answer(env)
    items = body["metaData"]["items"]
    assert items[PI["id"]] == {"name": "Events counted"}
    assert items["202501"] == {"name": "January 2025"}
    assert set(items[m.commune]) == {"name"}
    assert (items["dx"], items["pe"], items["ou"]) == (
        {"name": "Data"}, {"name": "Period"}, {"name": "Organisation unit"})
    m, body = _answer(env, includeMetadataDetails="true")
    items = body["metaData"]["items"]
    assert items[PI["id"]]["dimensionItemType"] == "PROGRAM_INDICATOR"
    assert items["202501"]["startDate"] == "2025-01-01T00:00:00.000"
    assert items["dx"] == {"uid": "dx", "name": "Data", "dimensionType": "DATA_X"}


def test_display_property_short_name_names_the_org_unit_too(env) -> None:  # type: ignore[no-untyped-def]
    _version, running, m = env
    unit = requests.get(f"{running.url}/api/organisationUnits/{m.commune}", auth=ADMIN,
                        timeout=10, params={"fields": "name,shortName"}).json()
    _, body = _answer(env, displayProperty="SHORTNAME")
    items = body["metaData"]["items"]
    assert items[PI["id"]] == {"name": "Events"}
    assert items[m.commune] == {"name": unit["shortName"]}


def test_without_ou_the_data_view_units_are_a_nameless_filter(env) -> None:  # type: ignore[no-untyped-def]
    # DefaultAnalyticsSecurityManager#applyOrganisationUnitConstraint: the admin's data view
    # unit (the root) becomes an ou filter of a BaseDimensionalObject without a name
    _version, running, _m = env
    root = next(u["id"] for u in running.store.list_objects("organisationUnits") if u.get("level") == 1)
    _, body = _answer(env, dimension=[f"dx:{PI['id']}", "pe:2025"])
    assert body["rows"] == [[PI["id"], "2025", "1"]]
    assert body["metaData"]["dimensions"]["ou"] == [root]
    assert body["metaData"]["items"]["ou"] == {}
    assert body["metaData"]["items"][root] == {"name": "Việt Nam"}
    _, body = _answer(env, dimension=[f"dx:{PI['id']}", "pe:2025"], includeMetadataDetails="true")
    assert body["metaData"]["items"]["ou"] == {"uid": "ou", "dimensionType": "ORGANISATION_UNIT"}


def test_without_ou_or_data_view_units_no_org_unit_is_named(env) -> None:  # type: ignore[no-untyped-def]
    # no constraint: every org unit counts, and the answer has no ou at all
    _version, running, _m = env
    admin = seeded_user(running, "admin")
    running.store.put_object("users", {**admin, "dataViewOrganisationUnits": []})
    _, body = _answer(env, dimension=[f"dx:{PI['id']}", "pe:2025"])
    assert body["rows"] == [[PI["id"], "2025", "1"]]
    assert "ou" not in body["metaData"]["dimensions"]
    assert "ou" not in body["metaData"]["items"]
    assert not any(k for k, v in body["metaData"]["items"].items() if k not in (PI["id"], "2025", "dx", "pe"))


def test_relative_periods_and_levels_add_their_keywords(env) -> None:  # type: ignore[no-untyped-def]
    # DimensionItemKeywords: a relative period by its i18n name (LAST_10_FINANCIAL_YEARS has
    # none: its key), a level by its uid, name and code, the boundary by its name (not the
    # short name displayProperty asks for), uid and code
    _version, running, m = env
    level = next(lv for lv in running.store.list_objects("organisationUnitLevels") if lv["level"] == 3)
    province = running.store.get_object("organisationUnits", m.province)
    _, body = _answer(env, dimension=[f"dx:{PI['id']}", "pe:LAST_12_MONTHS;LAST_10_FINANCIAL_YEARS;202501"],
                      filter=[f"ou:{m.province};LEVEL-3"], displayProperty="SHORTNAME")
    items = body["metaData"]["items"]
    assert items["LAST_12_MONTHS"] == {"name": "Last 12 months"}
    assert items["LAST_10_FINANCIAL_YEARS"] == {"name": "LAST_10_FINANCIAL_YEARS"}
    assert items[level["id"]] == {k: v for k, v in {"name": level["name"], "uid": level["id"],
                                                   "code": level.get("code")}.items() if v}
    assert items[m.province] == {"name": province["name"], "uid": m.province, "code": province["code"]}
    assert m.province not in body["metaData"]["dimensions"]["ou"]


def test_user_org_unit_keywords_list_the_capture_units(env) -> None:  # type: ignore[no-untyped-def]
    # AnalyticsOrganisationUnitUtils#getUserOrganisationUnitItems, for `dimension=` only
    _version, running, _m = env
    root = next(u["id"] for u in running.store.list_objects("organisationUnits") if u.get("level") == 1)
    _, body = _answer(env, dimension=[f"dx:{PI['id']}", "pe:2025", "ou:USER_ORGUNIT"])
    assert body["metaData"]["items"]["USER_ORGUNIT"] == {"organisationUnits": [root]}
    assert "USER_ORGUNIT_CHILDREN" not in body["metaData"]["items"]
    _, body = _answer(env, dimension=[f"dx:{PI['id']}", "pe:2025"], filter=["ou:USER_ORGUNIT"])
    assert "USER_ORGUNIT" not in body["metaData"]["items"]


def test_org_unit_details_carry_the_code(env) -> None:  # type: ignore[no-untyped-def]
    _version, running, m = env
    code = running.store.get_object("organisationUnits", m.commune)["code"]
    _, body = _answer(env, includeMetadataDetails="true")
    assert body["metaData"]["items"][m.commune]["code"] == code


def _ignore_case(text: str) -> list[int]:
    return [ord(c.upper().lower()) for c in text]


def test_user_org_unit_is_the_capture_units_and_a_level_reads_the_whole_tree(env) -> None:  # type: ignore[no-untyped-def]
    # DefaultDataQueryService#getUserOrgUnits(null, …): the capture units, not the data view
    # units (group.leader captures a commune and views its province); LEVEL-n without units
    # beside it: OrganisationUnitService#getOrganisationUnitsAtLevels with no parents, the
    # whole tree, sorted by name (BaseIdentifiableObject#compareTo)
    _version, running, m = env
    _answer(env)
    leader = requests.get(f"{running.url}/api/analytics", auth=("group.leader", "district"), timeout=30,
                          params={"dimension": [f"dx:{PI['id']}", "pe:2025", "ou:USER_ORGUNIT"]})
    assert leader.status_code == 200, leader.text
    assert leader.json()["metaData"]["dimensions"]["ou"] == [m.commune]
    assert leader.json()["rows"] == [[PI["id"], "2025", m.commune, "1"]]
    everywhere = requests.get(f"{running.url}/api/analytics", auth=("group.leader", "district"), timeout=30,
                              params={"dimension": [f"dx:{PI['id']}", "pe:2025", "ou:LEVEL-2"]})
    body = everywhere.json()
    assert (everywhere.status_code, body["errorCode"]) == (409, "E7120"), everywhere.text
    admin = requests.get(f"{running.url}/api/analytics", auth=ADMIN, timeout=30,
                         params={"dimension": [f"dx:{PI['id']}", "pe:2025", "ou:LEVEL-2"]}).json()
    provinces = [u for u in running.store.list_objects("organisationUnits") if u.get("level") == 2]
    want = [u["id"] for u in sorted(provinces, key=lambda u: _ignore_case(u["name"]))]
    assert admin["metaData"]["dimensions"]["ou"] == want


def test_dashed_months_and_days_are_periods(env) -> None:  # type: ignore[no-untyped-def]
    # DateUnitType MONTHLY `(\d{4})[-]?(\d{2})` / DAILY `yyyy-MM-dd` (2.41.9, 2.42.5),
    # Period.Input#of (2.43.1): the period by its ISO id, a keyword by the id as written
    _version, _running, m = env
    _, body = _answer(env, dimension=[f"dx:{PI['id']}", "pe:2025-01;2025-01-12", f"ou:{m.commune}"])
    assert body["metaData"]["dimensions"]["pe"] == ["202501", "20250112"]
    assert sorted(body["rows"]) == [[PI["id"], "202501", m.commune, "1"],
                                    [PI["id"], "20250112", m.commune, "1"]]
    assert body["metaData"]["items"]["2025-01"] == {"name": "January 2025"}
    assert body["metaData"]["items"]["202501"] == {"name": "January 2025"}


def test_a_level_by_number_or_uid(env) -> None:  # type: ignore[no-untyped-def]
    # OrganisationUnitService#getOrganisationUnitLevelByLevelOrUid: a positive integer
    # (INT_EXPRESSION: no leading zero) or a stored level's uid; anything else names no level
    _version, running, m = env
    level = next(lv for lv in running.store.list_objects("organisationUnitLevels") if lv["level"] == 3)
    communes = {u["id"] for u in running.store.list_objects("organisationUnits")
                if u.get("level") == 3 and m.province in u["path"]}
    for given, want in ((f"LEVEL-{level['id']}", communes), ("LEVEL-3", communes),
                        ("LEVEL-03", {m.province}), ("LEVEL-0", {m.province})):
        _, body = _answer(env, dimension=[f"dx:{PI['id']}", "pe:2025", f"ou:{m.province};{given}"])
        assert set(body["metaData"]["dimensions"]["ou"]) == want, given


def test_event_count_leaves_scheduled_events_out(env) -> None:  # type: ignore[no-untyped-def]
    # vEventCount: `case when eventstatus in ('ACTIVE', 'COMPLETED') then 1 end`, then the
    # indicator's own aggregation (AbstractJdbcEventAnalyticsManager#getAggregateClause)
    _version, running, m = env
    url = running.url
    pis = [PI | {"id": "piAnaCount1", "program": {"id": m.event_program}},
           PI | {"id": "piAnaAvg001", "name": "Events averaged", "shortName": "Averaged",
                 "aggregationType": "AVERAGE", "program": {"id": m.event_program}}]
    assert post_metadata(url, {"programIndicators": pis}).status_code == 200
    events = [event(m, None, stage=m.event_stage, values={m.de_number: "2"}, occurredAt="2025-01-12")
              for _ in range(3)]
    assert post(running, {"events": events}).status_code == 200
    with running.store.lock, running.store.transaction() as conn:
        conn.execute("UPDATE events SET status = 'SCHEDULE' WHERE uid = ?", (events[0]["event"],))
    refresh_analytics(url)
    body = requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=30, params={
        "dimension": ["dx:piAnaCount1;piAnaAvg001", "pe:202501", f"ou:{m.commune}"]}).json()
    assert sorted(body["rows"]) == [["piAnaAvg001", "202501", m.commune, "1"],
                                    ["piAnaCount1", "202501", m.commune, "2"]]


def test_headers_follow_the_dimensions_and_width_the_first_row(env) -> None:  # type: ignore[no-untyped-def]
    # DataQueryParams#addDimension (dx first, the rest as given), HeaderHandler#addHeaders (no
    # headers with skipData), ListGrid#getWidth (the first row's width, 0 without rows)
    _version, _running, m = env
    _, body = _answer(env, dimension=[f"ou:{m.commune}", "pe:202501;202502", f"dx:{PI['id']}"])
    assert [h["name"] for h in body["headers"]] == ["dx", "ou", "pe", "value"]
    assert body["rows"] == [[PI["id"], m.commune, "202501", "1"]]
    _, body = _answer(env, dimension=[f"dx:{PI['id']}", "pe:202502", f"ou:{m.commune}"])
    assert (body["rows"], body["headerWidth"], body["width"], body["height"]) == ([], 4, 0, 0)
    _, body = _answer(env, skipData="true")
    assert (body["headers"], body["rows"], body["headerWidth"], body["width"]) == ([], [], 0, 0)


def test_uid_count_variables_under_sum_average_min_max(env) -> None:  # type: ignore[no-untyped-def]
    # vEnrollmentCount / vTeiCount (2.42.5, 2.43.1 vTrackedEntityCount) are the uid column,
    # which AbstractJdbcEventAnalyticsManager#getAggregateClause wraps as `function(expression)`:
    # count(distinct pi) counts; sum/avg of a character column is PostgreSQL's 42883, rethrown
    # by AnalyticsUtils#withExceptionHandling for a single query (CrudControllerAdvice
    # #badSqlGrammarException, WebMessageUtils#createWebMessage: 409 E7145) and dropped when
    # the planner made several; min/max answer a uid that rowSet.getDouble refuses (500).
    version, running, m = env
    url = running.url
    people = [person(m), person(m)]
    assert post(running, {"trackedEntities": people}).status_code == 200

    def pi(uid_: str, expression: str, aggregation: str) -> dict[str, object]:
        return {"id": uid_, "name": uid_, "shortName": uid_, "analyticsType": "ENROLLMENT",
                "program": {"id": m.program}, "expression": expression,
                "aggregationType": aggregation}

    pis = [pi("piUidCount1", "V{enrollment_count}", "COUNT"),
           pi("piUidSum001", "V{enrollment_count}", "SUM"),
           pi("piUidAvg001", "V{tei_count}", "AVERAGE"),
           pi("piUidMin001", "V{enrollment_count}", "MIN"),
           pi("piUidMax001", "V{tei_count}", "MAX")]
    assert post_metadata(url, {"programIndicators": pis}).status_code == 200
    refresh_analytics(url)

    def ask(dx: str, ou: str = m.commune) -> requests.Response:
        return requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=30, params={
            "dimension": [f"dx:{dx}", "pe:202501", f"ou:{ou}"]})

    counted = ask("piUidCount1")
    assert counted.status_code == 200 and counted.json()["rows"] == [
        ["piUidCount1", "202501", m.commune, "2"]]
    for dx in ("piUidSum001", "piUidAvg001"):
        refused = ask(dx)
        body = refused.json()
        assert (refused.status_code, body["errorCode"], body["message"]) == (
            409, "E7145", "Query failed because of a syntax error (SqlState: 42883)"), dx
        assert body.get("devMessage") == ("SqlState: 42883" if version == "2.41" else None)
    # org units of two levels: two queries, each failing one dropped
    split = ask("piUidSum001;piUidCount1", ou=f"{m.province};{m.commune}")
    assert split.status_code == 200
    assert sorted(split.json()["rows"]) == sorted([["piUidCount1", "202501", m.commune, "2"],
                                                   ["piUidCount1", "202501", m.province, "2"]])
    enrollments = sorted((p["enrollments"][0]["enrollment"] for p in people),
                         key=lambda u: (u.lower(), u.swapcase()))
    entities = sorted((p["trackedEntity"] for p in people), key=lambda u: (u.lower(), u.swapcase()))
    for dx, uid_ in (("piUidMin001", enrollments[0]), ("piUidMax001", entities[-1])):
        unread = ask(dx)
        assert (unread.status_code, unread.json()["message"]) == (
            500, f"getDouble failed on value ( {uid_} ) in column 1"), dx


def test_a_uid_sum_is_refused_only_when_the_planner_makes_one_query(env) -> None:  # type: ignore[no-untyped-def]
    # DefaultEventQueryPlanner#planAggregateQuery: #groupByQueryItems makes one query per
    # program indicator of dx, then by org unit level and period type, and #groupByPeriod one
    # per period for an indicator with analytics variables or non-default boundaries
    # (ProgramIndicator#hasNonDefaultBoundaries: every ENROLLMENT indicator, an EVENT one whose
    # boundaries are not the two event date defaults); with more than one query
    # AnalyticsUtils#withExceptionHandling drops the 42883 silently.
    _, running, m = env
    url = running.url
    assert post(running, {"trackedEntities": [person(m), person(m)]}).status_code == 200

    def pi(uid_: str, kind: str, expression: str, aggregation: str) -> dict[str, object]:
        return {"id": uid_, "name": uid_, "shortName": uid_, "analyticsType": kind,
                "program": {"id": m.program}, "expression": expression,
                "aggregationType": aggregation}

    assert post_metadata(url, {"programIndicators": [
        pi("piPlanCnt01", "ENROLLMENT", "V{enrollment_count}", "COUNT"),
        pi("piPlanSum01", "ENROLLMENT", "V{enrollment_count}", "SUM"),
        pi("piPlanEvt01", "EVENT", "V{enrollment_count}", "SUM")]}).status_code == 200
    refresh_analytics(url)

    def ask(dx: str, pe: str) -> requests.Response:
        return requests.get(f"{url}/api/analytics", auth=ADMIN, timeout=30, params={
            "dimension": [f"dx:{dx}", f"pe:{pe}", f"ou:{m.commune}"]})

    # two program indicators: two queries, the failing one dropped
    both = ask("piPlanSum01;piPlanCnt01", "202501")
    assert both.status_code == 200, both.text
    assert both.json()["rows"] == [["piPlanCnt01", "202501", m.commune, "2"]]
    # an enrollment indicator over two months: one query per month
    months = ask("piPlanSum01", "202501;202502")
    assert months.status_code == 200, months.text
    assert months.json()["rows"] == []
    # an event indicator with the default boundaries: the two months stay one query
    event_months = ask("piPlanEvt01", "202501;202502")
    assert (event_months.status_code, event_months.json().get("errorCode")) == (409, "E7145")
