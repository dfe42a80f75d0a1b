"""Analytics of the package: every field figure has an indicator on a dashboard, and the
visualizations, line lists and dashboards use only package objects and relative org units and
periods, so they work on any instance."""

from __future__ import annotations

import re
from typing import Any

import pytest

from scdi.connector.errors import EngineUnavailable
from scdi.connector.metadata.engines import ExpressionJob, run_engines
from tests.shared_paths import SHARED

from .conftest import REPO_METADATA

DOMAIN = SHARED / "domain.md"
# The sources of the figure table in the shared domain description ("Figures the field reports");
# checked against the file itself where it is present.
DOMAIN_SOURCES = [
    "An Giang, to 12/2015", "An Giang", "Bắc Giang counselling points, 5/2015 on",
    "Hà Nội outreach team, 2016", "national, 2006–2010",
]
# | source | figure | `program indicator` → `item` | `aggregate` → `item` or — (…) | definition |
FIGURE_ROW = re.compile(
    r"^\| ([^|`]+?) \| ([^|]+?) \| `(SCDI_[0-9A-Z_]+)` → `(SCDI_[0-9A-Z_]+)` \| "
    r"(?:`(SCDI_[0-9A-Z_]+)` → `(SCDI_[0-9A-Z_]+)`|— \([^|]+\)) \| ([^|]+?) \|$",
    re.MULTILINE,
)
# The dashboards of each audience (metadata/README.md, "Analytics").
GROUP_DASHBOARDS = ("SCDI_DB_GROUP", "SCDI_DB_OUTREACH")
OFFICIAL_DASHBOARDS = ("SCDI_DB_PROVINCE", "SCDI_DB_NATIONAL")
# Relative periods of dhis2-core 2.41 (dhis-api period/RelativePeriodEnum.java).
RELATIVE_PERIODS = {
    "TODAY", "YESTERDAY", "LAST_3_DAYS", "LAST_7_DAYS", "LAST_14_DAYS", "LAST_30_DAYS", "LAST_60_DAYS",
    "LAST_90_DAYS", "LAST_180_DAYS", "THIS_MONTH", "LAST_MONTH", "THIS_BIMONTH", "LAST_BIMONTH",
    "THIS_QUARTER", "LAST_QUARTER", "THIS_SIX_MONTH", "LAST_SIX_MONTH", "WEEKS_THIS_YEAR",
    "MONTHS_THIS_YEAR", "BIMONTHS_THIS_YEAR", "QUARTERS_THIS_YEAR", "THIS_YEAR", "MONTHS_LAST_YEAR",
    "QUARTERS_LAST_YEAR", "LAST_YEAR", "LAST_5_YEARS", "LAST_10_YEARS", "LAST_12_MONTHS", "LAST_6_MONTHS",
    "LAST_3_MONTHS", "LAST_6_BIMONTHS", "LAST_4_QUARTERS", "LAST_2_SIXMONTHS", "THIS_FINANCIAL_YEAR",
    "LAST_FINANCIAL_YEAR", "LAST_5_FINANCIAL_YEARS", "LAST_10_FINANCIAL_YEARS", "THIS_WEEK", "LAST_WEEK",
    "THIS_BIWEEK", "LAST_BIWEEK", "LAST_4_WEEKS", "LAST_4_BIWEEKS", "LAST_12_WEEKS", "LAST_52_WEEKS",
}  # fmt: skip
# What the issue names besides the field's figures; each must have a row in the README table.
ISSUE_FIGURES = {
    "active members", "meetings held", "attendance rate", "new members", "retention at 3 months",
    "retention at 6 months", "retention at 12 months", "referral completion", "methadone coverage",
    "attendance events vs meeting counts", "members without a follow-up in 60 days",
    # issue 20: what the field records and 1.0.0 never counted
    "members by sex and age band", "situation at joining", "returnees from a facility (người hồi gia, An Giang)",
    "employment", "working at the treatment centre (Hải Phòng, \"Kết nối thành công\")", "housing",
    "vocational courses", "counselling sessions received", "referrals to mental health", "referrals to methadone",
    "referrals to ARV", "referrals to credit", "referrals to vocational training", "referrals completed, by service",
    "counselling points: methadone dispensing", "counselling points: mental-health referral",
    "counselling points: vocational training", "counselling points: credit",
}  # fmt: skip
UID_IN_EXPRESSION = re.compile(r"([#AIC])\{([A-Za-z][A-Za-z0-9]{10})(?:\.([A-Za-z][A-Za-z0-9]{10}))?\}")


def _by(package: dict[str, Any], plural: str) -> dict[str, dict[str, Any]]:
    return {o["code"]: o for o in package.get(plural, [])}


def _readme_rows() -> list[tuple[str, ...]]:
    readme = (REPO_METADATA / "README.md").read_text(encoding="utf-8")
    return [tuple(part.strip() for part in row) for row in FIGURE_ROW.findall(readme)]


def _domain_sources() -> list[str]:
    if not DOMAIN.is_file():
        return DOMAIN_SOURCES
    text = DOMAIN.read_text(encoding="utf-8")
    table = text.split("## Figures the field reports", 1)[-1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    return [row.split("|")[1].strip() for row in rows[1:]]


def _items_shown(package: dict[str, Any], item: dict[str, Any]) -> set[str]:
    """UIDs of the program indicators, indicators and data elements a visualization or line
    list shows, including the program indicators inside an indicator's formula."""
    indicators = {o["id"]: o for o in package["indicators"]}
    shown: set[str] = set()
    for entry in item.get("dataDimensionItems", []):
        for key in ("programIndicator", "indicator", "dataElement"):
            if key in entry:
                shown.add(entry[key]["id"])
    for entry in item.get("programIndicatorDimensions", []):
        shown.add(entry["programIndicator"]["id"])
    for uid in list(shown):
        if uid in indicators:
            formula = indicators[uid]["numerator"] + " " + indicators[uid]["denominator"]
            shown |= {m.group(2) for m in UID_IN_EXPRESSION.finditer(formula)}
    return shown


def _on(package: dict[str, Any], dashboard_codes: tuple[str, ...]) -> set[str]:
    return {ref["id"] for d in package["dashboards"] if d["code"] in dashboard_codes for entry in d["dashboardItems"]
            for key in ("visualization", "eventVisualization") if (ref := entry.get(key))}


def _fed(package: dict[str, Any]) -> dict[str, set[str]]:
    """Aggregate data element code → the program indicators the aggregate data exchange writes
    into it (their SCDI_AGGREGATE_DATA_ELEMENT attribute value, outputIdScheme ATTRIBUTE)."""
    attribute = next(a["id"] for a in package["attributes"] if a["code"] == "SCDI_AGGREGATE_DATA_ELEMENT")
    (exchange,) = package["aggregateDataExchanges"]
    exported = {uid for request in exchange["source"]["requests"] for uid in request["dx"]}
    fed: dict[str, set[str]] = {}
    for indicator in package["programIndicators"]:
        for value in indicator.get("attributeValues", []):
            if value["attribute"]["id"] == attribute and indicator["id"] in exported:
                fed.setdefault(value["value"], set()).add(indicator["code"])
    return fed


def test_every_field_figure_maps_to_an_indicator_shown_on_a_dashboard(package: dict[str, Any]) -> None:
    rows = _readme_rows()
    assert len(rows) >= 50
    sources = _domain_sources()
    assert sources == DOMAIN_SOURCES, "domain.md's figure table changed: update the README table"
    assert {row[0] for row in rows} >= set(sources), "a source of domain.md has no row"
    assert {row[1] for row in rows} >= ISSUE_FIGURES
    program_side = _by(package, "programIndicators") | _by(package, "indicators")
    aggregate_side = _by(package, "dataElements") | _by(package, "indicators")
    shown_by = _by(package, "visualizations") | _by(package, "eventVisualizations")
    for_groups, for_officials = _on(package, GROUP_DASHBOARDS), _on(package, OFFICIAL_DASHBOARDS)
    fed = _fed(package)
    problems = []
    for _source, figure, code, item_code, aggregate, aggregate_item, definition in rows:
        for what, audience, dashboards, objects in (
            ((code, item_code), "the group's or team's dashboards", for_groups, program_side),
            ((aggregate, aggregate_item), "the officials' dashboards", for_officials, aggregate_side),
        ):
            indicator_code, shown_code = what
            if not indicator_code:
                continue
            item = shown_by.get(shown_code)
            if indicator_code not in objects or item is None:
                problems.append(f"{figure}: {indicator_code} or {shown_code} is not in the package")
                continue
            if item["id"] not in dashboards:
                problems.append(f"{figure}: {shown_code} is not on {audience}")
            if objects[indicator_code]["id"] not in _items_shown(package, item):
                problems.append(f"{figure}: {shown_code} does not show {indicator_code}")
        if aggregate in _by(package, "dataElements") and not fed.get(aggregate):
            problems.append(f"{figure}: no program indicator feeds {aggregate}")
        assert definition, figure
    assert not problems, "\n".join(problems)


def test_officials_dashboards_show_aggregate_data_only(package: dict[str, Any]) -> None:
    """The province and national dashboards reference only aggregate data elements of the
    package's data sets and indicators computed from them: nothing that reads tracker data."""
    aggregate = {d["id"] for d in package["dataElements"] if d["domainType"] == "AGGREGATE"}
    in_sets = {e["dataElement"]["id"] for ds in package["dataSets"] for e in ds["dataSetElements"]}
    indicators = {i["id"]: i for i in package["indicators"]}
    visualizations = {v["id"]: v for v in package["visualizations"]}
    for dashboard in package["dashboards"]:
        if dashboard["code"] not in OFFICIAL_DASHBOARDS:
            continue
        for entry in dashboard["dashboardItems"]:
            assert set(entry) & {"visualization"} and not set(entry) & {"eventVisualization", "map"}, dashboard["code"]
            item = visualizations[entry["visualization"]["id"]]
            for dimension in item["dataDimensionItems"]:
                assert set(dimension) & {"dataElement", "indicator"}, (item["code"], dimension)
                if "dataElement" in dimension:
                    assert dimension["dataElement"]["id"] in aggregate & in_sets, item["code"]
                else:
                    formula = indicators[dimension["indicator"]["id"]]
                    refs = UID_IN_EXPRESSION.findall(formula["numerator"] + " " + formula["denominator"])
                    assert refs and all(kind == "#" and uid in aggregate for kind, uid, _ in refs), formula["code"]
    # and the figures reach the officials' dashboards only through the aggregate data sets
    for dashboard in package["dashboards"]:
        if dashboard["code"] in OFFICIAL_DASHBOARDS:
            assert set(dashboard["sharing"]["userGroups"]) == {
                g["id"] for g in package["userGroups"] if g["code"] in ("SCDI_ADMIN", "SCDI_OFFICIALS", "SCDI_ACCESS")}


def test_the_exchange_writes_every_figure_into_its_data_set(package: dict[str, Any]) -> None:
    """DHIS2's aggregate data exchange (internal target) reads each program indicator through
    analytics and writes a data value whose data element is the indicator's attribute value
    (outputIdScheme ATTRIBUTE) and whose option combo is its aggregateExportCategoryOptionCombo,
    both by code on import (dhis-service-analytics util/AnalyticsUtils#handleGridForDataValueSet,
    dhis-service-data-exchange AggregateDataExchangeService#toDataQueryParams)."""
    (exchange,) = package["aggregateDataExchanges"]
    assert exchange["target"]["type"] == "INTERNAL"
    assert exchange["target"]["request"]["dataElementIdScheme"] == "CODE"
    assert exchange["target"]["request"]["categoryOptionComboIdScheme"] == "CODE"
    attribute = next(a for a in package["attributes"] if a["code"] == "SCDI_AGGREGATE_DATA_ELEMENT")
    assert attribute["programIndicatorAttribute"] is True
    des = {d["code"]: d for d in package["dataElements"]}
    sets = {ds["code"]: {e["dataElement"]["id"] for e in ds["dataSetElements"]} for ds in package["dataSets"]}
    combos = {c["id"]: c for c in package["categoryCombos"]}
    cocs = {c["code"]: c for c in package["categoryOptionCombos"]}
    indicators = {i["id"]: i for i in package["programIndicators"]}
    requests = {r["name"]: r for r in exchange["source"]["requests"]}
    assert set(requests) == {"SCDI - monthly figures", "SCDI - yearly figures"}
    written: set[str] = set()
    for name, request in requests.items():
        assert request["outputIdScheme"] == f"ATTRIBUTE:{attribute['id']}" and request["outputOrgUnitIdScheme"] == "UID"
        assert set(request["pe"]) <= RELATIVE_PERIODS
        data_set = sets["SCDI_FIGURES_MONTHLY" if "monthly" in name else "SCDI_FIGURES_YEARLY"]
        for uid in request["dx"]:
            indicator = indicators[uid]
            (value,) = [v["value"] for v in indicator["attributeValues"] if v["attribute"]["id"] == attribute["id"]]
            target = des[value]
            assert target["domainType"] == "AGGREGATE" and target["id"] in data_set, (indicator["code"], value)
            coc = indicator.get("aggregateExportCategoryOptionCombo")
            if target["categoryCombo"]["id"] in combos:
                assert coc in cocs and cocs[coc]["categoryCombo"] == target["categoryCombo"], indicator["code"]
                written.add(f"{value}.{coc}")
            else:
                assert coc is None, indicator["code"]
                written.add(value)
    # every data element of the two data sets, and every option combo of its combo, is written
    expected = set()
    for code in ("SCDI_FIGURES_MONTHLY", "SCDI_FIGURES_YEARLY"):
        for de in (d for d in des.values() if d["id"] in sets[code]):
            combo = de["categoryCombo"]["id"]
            if combo in combos:
                expected |= {f"{de['code']}.{c['code']}" for c in cocs.values() if c["categoryCombo"]["id"] == combo}
            else:
                expected.add(de["code"])
    assert written == expected - {e for e in expected if e.endswith("_OTHER") and e.startswith("SCDI_AGG_OUT_CLIENTS")}


def test_dashboard_items_reference_package_objects(package: dict[str, Any]) -> None:
    targets = {o["id"] for o in package["visualizations"] + package["eventVisualizations"]}
    assert len(package["dashboards"]) == 4
    for dashboard in package["dashboards"]:
        assert dashboard["dashboardItems"], dashboard["code"]
        for entry in dashboard["dashboardItems"]:
            refs = [entry[k]["id"] for k in ("visualization", "eventVisualization", "map") if k in entry]
            assert len(refs) == 1 and refs[0] in targets, (dashboard["code"], entry["id"])
            # DHIS2 computes the item type from its content (DashboardItem#getType has no setter).
            assert "type" not in entry
            assert entry["x"] >= 0 and entry["x"] + entry["width"] <= 60


def test_visualizations_use_package_objects_and_relative_org_units_and_periods(package: dict[str, Any]) -> None:
    known = {o["id"] for plural in ("programIndicators", "indicators", "dataElements") for o in package[plural]}
    attributes = {o["id"] for o in package["trackedEntityAttributes"]}
    stage_elements = {(s["id"], p["dataElement"]["id"]) for s in package["programStages"]
                      for p in s["programStageDataElements"]}
    programs = {p["id"]: p for p in package["programs"]}
    for item in package["visualizations"] + package["eventVisualizations"]:
        code = item["code"]
        assert item["organisationUnits"] == [] and item.get("organisationUnitLevels", []) == [], code
        assert item["userOrganisationUnit"] or item["userOrganisationUnitChildren"], code
        assert item["periods"] == [] and item["rawPeriods"], code
        assert set(item["rawPeriods"]) <= RELATIVE_PERIODS, code
        for entry in item.get("dataDimensionItems", []):
            (ref,) = [entry[k]["id"] for k in ("programIndicator", "indicator", "dataElement") if k in entry]
            assert ref in known, (code, ref)
        for entry in item.get("programIndicatorDimensions", []):
            assert entry["programIndicator"]["id"] in known, code
        for entry in item.get("dataElementDimensions", []):
            assert (entry["programStage"]["id"], entry["dataElement"]["id"]) in stage_elements, code
        for entry in item.get("attributeDimensions", []):
            assert entry["attribute"]["id"] in attributes, code
        if "program" in item:
            program = programs[item["program"]["id"]]
            if "programStage" in item:
                assert item["programStage"]["id"] in {s["id"] for s in program["programStages"]}, code
        dims = set(item["columnDimensions"] + item["rowDimensions"] + item["filterDimensions"])
        assert {"ou", "pe"} <= dims, code


def test_line_lists_are_2_41_line_lists(package: dict[str, Any]) -> None:
    for line_list in package["eventVisualizations"]:
        assert line_list["type"] == "LINE_LIST" and line_list["legacy"] is False
        assert line_list["outputType"] in ("EVENT", "ENROLLMENT")
        if line_list["outputType"] == "EVENT":
            assert "programStage" in line_list, line_list["code"]
    follow_up = next(o for o in package["eventVisualizations"] if o["code"] == "SCDI_LL_FOLLOWUP_DUE")
    due = next(o for o in package["programIndicators"] if o["code"] == "SCDI_PI_FOLLOWUP_DUE")
    assert follow_up["outputType"] == "ENROLLMENT" and follow_up["programStatus"] == "ACTIVE"
    assert follow_up["programIndicatorDimensions"] == [{"filter": "EQ:1", "programIndicator": {"id": due["id"]}}]
    # The list and its figure agree: the figure shows the list's own indicator, and both are
    # computed at today (the indicator column takes the query's latest end date).
    figure = next(o for o in package["visualizations"] if o["code"] == "SCDI_VIS_FOLLOWUP_DUE")
    assert figure["dataDimensionItems"] == [{"dataDimensionItemType": "PROGRAM_INDICATOR",
                                             "programIndicator": {"id": due["id"]}}]
    assert figure["rawPeriods"] == ["TODAY"] and "TODAY" in follow_up["rawPeriods"]
    total = next(o for o in package["indicators"] if o["code"] == "SCDI_IN_FOLLOWUP_DUE")
    assert (total["numerator"], total["denominator"]) == (f"I{{{due['id']}}}", "1")
    # an exit ends the membership for both, and recording it asks to complete the enrollment
    exit_stage = next(s for s in package["programStages"] if s["code"] == "SCDI_MEMBER_EXIT")
    assert exit_stage["id"] in due["filter"] and exit_stage["remindCompleted"] is True


def test_relapse_is_measured_among_people_after_treatment(package: dict[str, Any]) -> None:
    """'Người sau cai chưa tái nghiện': people after treatment only (not family members, not people
    who joined using), from the latest follow-up; 3+ years from the end of treatment, with
    follow-ups over the whole period."""
    situation = next(a for a in package["trackedEntityAttributes"] if a["code"] == "SCDI_SITUATION")["id"]
    after = {f"A{{{situation}}} == 'SCDI_SITUATION_AFTER_{kind}'" for kind in ("COMPULSORY", "VOLUNTARY", "COMMUNITY")}
    indicators = _by(package, "programIndicators")
    for code in ("SCDI_PI_NOT_RELAPSED", "SCDI_PI_NOT_RELAPSED_IN_MEETINGS", "SCDI_PI_NOT_RELAPSED_3Y",
                 "SCDI_PI_FOLLOWED_AFTER_TREATMENT", "SCDI_PI_NOT_RELAPSED_MALE"):
        text = indicators[code]["filter"]
        assert all(term in text for term in after) and "FAMILY" not in text and "USING" not in text, code
    three = indicators["SCDI_PI_NOT_RELAPSED_3Y"]
    intake = next(s for s in package["programStages"] if s["code"] == "SCDI_MEMBER_INTAKE")["id"]
    follow_up = next(s for s in package["programStages"] if s["code"] == "SCDI_MEMBER_FOLLOWUP")["id"]
    return_date = next(d for d in package["dataElements"] if d["code"] == "SCDI_INTAKE_RETURN_DATE")["id"]
    assert f"#{{{intake}.{return_date}}}" in three["filter"]
    assert f"d2:minValue(PS_EVENTDATE:{follow_up})" in three["filter"]
    assert f"d2:maxValue(PS_EVENTDATE:{follow_up})" in three["filter"]
    window = {(b["analyticsPeriodBoundaryType"], b["boundaryTarget"], b.get("offsetPeriods"))
              for b in three["analyticsPeriodBoundaries"]}
    assert ("AFTER_END_OF_REPORTING_PERIOD", "EVENT_DATE", -36) in window
    assert ("BEFORE_END_OF_REPORTING_PERIOD", "ENROLLMENT_DATE", None) in window
    share = next(o for o in package["indicators"] if o["code"] == "SCDI_IN_NOT_RELAPSED_PCT")
    assert share["denominator"] == f"I{{{indicators['SCDI_PI_FOLLOWED_AFTER_TREATMENT']['id']}}}"


def test_program_indicator_definitions(package: dict[str, Any]) -> None:
    stages = {s["id"]: s for s in package["programStages"]}
    for indicator in package["programIndicators"]:
        code, kind = indicator["code"], indicator["analyticsType"]
        bounds = indicator["analyticsPeriodBoundaries"]
        assert bounds and all(b.get("id") for b in bounds), code
        targets = {b["boundaryTarget"] for b in bounds}
        if kind == "EVENT":
            assert targets == {"EVENT_DATE"}, code
            assert indicator["aggregationType"] in ("COUNT", "SUM"), code
        else:
            assert "ENROLLMENT_DATE" in targets, f"{code}: an enrollment indicator needs enrollment boundaries"
            assert indicator["aggregationType"] == "COUNT" and indicator["expression"] == "V{enrollment_count}"
        for target in targets - {"EVENT_DATE", "ENROLLMENT_DATE"}:
            assert target.startswith("PS_EVENTDATE:") and target.split(":")[1] in stages, code
        for bound in bounds:
            if "offsetPeriods" in bound:
                assert bound["offsetPeriodType"] in ("Daily", "Monthly") and bound["offsetPeriods"] < 0, code
    by_code = _by(package, "programIndicators")
    # "Active" always excludes members with an exit, which is why the exit reason is compulsory.
    exit_stage = next(s for s in package["programStages"] if s["code"] == "SCDI_MEMBER_EXIT")
    assert all(p["compulsory"] for p in exit_stage["programStageDataElements"]
               if f"{exit_stage['id']}.{p['dataElement']['id']}" in by_code["SCDI_PI_MEMBERS_ACTIVE"]["filter"])
    assert "orgUnitField" in by_code["SCDI_PI_OUT_SESSIONS_BY_COMMUNE"]


def test_indicator_formulas_parse_and_reference_the_package(package: dict[str, Any]) -> None:
    program_indicators = {o["id"] for o in package["programIndicators"]}
    targets = {o["id"] for o in package["dataElements"] if o["domainType"] == "AGGREGATE"}
    types = {o["id"] for o in package["indicatorTypes"]}
    jobs = []
    for indicator in package["indicators"]:
        assert indicator["indicatorType"]["id"] in types
        for side in ("numerator", "denominator"):
            formula = indicator[side]
            for match in UID_IN_EXPRESSION.finditer(formula):
                kind, uid = match.group(1), match.group(2)
                assert (kind == "I" and uid in program_indicators) or (kind == "#" and uid in targets), \
                    f"{indicator['code']} {side}: {match.group(0)}"
            jobs.append(ExpressionJob(id=f"{indicator['code']}.{side}", expression=formula,
                                      mode="INDICATOR_EXPRESSION", engine="parser", validate_types=True))
    try:
        answer = run_engines(jobs, [])
    except EngineUnavailable as exc:
        pytest.skip(str(exc))
    failed = [(r.id, r.message) for r in answer.expressions if not r.ok]
    assert not failed and len(answer.expressions) == len(jobs), failed
