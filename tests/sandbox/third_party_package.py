"""A large synthetic package shaped like the third-party packages DHIS2 implementers import
(the WHO/dhis2-metadata COMPLETE packages): one tracker programme with its data elements,
option sets, attributes, rules, indicators and dashboards, an aggregate data set beside it, and
types the sandbox keeps as given (indicators, maps, legend sets, sections, an aggregate data
exchange). Built for DHIS2 2.41, as the WHO packages are. Every name and value here is made
up; the builder is deterministic.

Sizes are parameters so that a test can say how many objects of each kind it sent.
"""

from __future__ import annotations

import hashlib
from typing import Any

UID_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
DEFAULT_CATEGORY_COMBO = "bjDvmb4bfuf"  # DHIS2's default category combo (DefaultCategoryService)

# Package-owned user groups, as third-party packages ship them (admin, capture, access).
SHARING_GROUPS = ("admin", "capture", "access")


def uid(key: str) -> str:
    """A stable 11-character DHIS2 UID (letter first) for a key of this package."""
    digest = hashlib.sha256(f"third-party:{key}".encode()).digest()
    chars = [UID_ALPHABET[b % len(UID_ALPHABET)] for b in digest[:11]]
    chars[0] = UID_ALPHABET[digest[11] % 52]
    return "".join(chars)


def ref(key: str) -> dict[str, str]:
    return {"id": uid(key)}


def _sharing(write_group: str = "admin") -> dict[str, Any]:
    groups = {uid(f"userGroup:{g}"): {"id": uid(f"userGroup:{g}"),
                                      "access": "rw------" if g == write_group else "r-------"}
              for g in SHARING_GROUPS}
    return {"public": "r-------", "external": False, "users": {}, "userGroups": groups}


def _named(key: str, name: str, short: str | None = None, code: str | None = None,
           **fields: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": uid(key), "name": name}
    if short is not None:
        obj["shortName"] = short
    if code is not None:
        obj["code"] = code
    obj.update(fields)
    return obj


def build(option_sets: int = 20, options_per_set: int = 8, stage_elements: int = 60,
          aggregate_elements: int = 40, attributes: int = 12, rules: int = 40,
          program_indicators: int = 50, indicators: int = 30,
          visualizations: int = 40, built_for: str = "2.41.6") -> dict[str, Any]:
    """The package as exported from a `built_for` server: from 2.42 on, its tracked entity
    type has a shortName (TrackedEntityType.hbm.xml maps it not-null from 2.42.5)."""
    pkg: dict[str, Any] = {"package": {"name": "SYNTH_PREV_TRK_1.0.0", "type": "TRK",
                                       "version": "1.0.0", "DHIS2Version": built_for,
                                       "locale": "en"}}
    pkg["userGroups"] = [_named(f"userGroup:{g}", f"SYNTH PREV {g}", code=f"SYNTH_PREV_{g.upper()}")
                         for g in SHARING_GROUPS]
    pkg["attributes"] = [_named("attribute:package-code", "SYNTH package code",
                                short="SYNTH package code", code="SYNTH_PACKAGE_CODE",
                                valueType="TEXT", dataElementAttribute=True,
                                programAttribute=True, mandatory=False, unique=False)]

    # Disaggregation for the aggregate side: sex × age band.
    sexes, bands = ("female", "male"), ("0-14", "15-24", "25+")
    pkg["categoryOptions"] = [_named(f"co:{o}", f"SYNTH {o}", short=f"SYNTH {o}",
                                     code=f"SYNTH_{o.upper().replace('-', '_').replace('+', 'P')}")
                              for o in (*sexes, *bands)]
    pkg["categories"] = [
        _named("cat:sex", "SYNTH Sex", short="SYNTH Sex", code="SYNTH_SEX",
               dataDimensionType="DISAGGREGATION", dataDimension=True,
               categoryOptions=[ref(f"co:{o}") for o in sexes]),
        _named("cat:age", "SYNTH Age band", short="SYNTH Age band", code="SYNTH_AGE",
               dataDimensionType="DISAGGREGATION", dataDimension=True,
               categoryOptions=[ref(f"co:{o}") for o in bands]),
    ]
    pkg["categoryCombos"] = [_named("cc:sex-age", "SYNTH Sex and age", code="SYNTH_SEX_AGE",
                                    dataDimensionType="DISAGGREGATION", skipTotal=False,
                                    categories=[ref("cat:sex"), ref("cat:age")])]
    pkg["categoryOptionCombos"] = [
        _named(f"coc:{s}:{b}", f"SYNTH {s}, {b}", categoryCombo=ref("cc:sex-age"),
               categoryOptions=[ref(f"co:{s}"), ref(f"co:{b}")], ignoreApproval=False)
        for s in sexes for b in bands]

    pkg["optionSets"], pkg["options"] = [], []
    for s in range(option_sets):
        option_keys = [f"option:{s}:{o}" for o in range(options_per_set)]
        pkg["optionSets"].append(_named(f"optionSet:{s}", f"SYNTH option set {s:02d}",
                                        code=f"SYNTH_OS_{s:02d}", valueType="TEXT", version=1,
                                        options=[ref(k) for k in option_keys],
                                        sharing=_sharing()))
        pkg["options"] += [_named(k, f"Choice {s:02d}.{o}", code=f"SYNTH_OS_{s:02d}_{o}",
                                  sortOrder=o + 1, optionSet=ref(f"optionSet:{s}"))
                           for o, k in enumerate(option_keys)]

    # Tracker data elements, two stages' worth; every third one uses an option set.
    stage_des: dict[str, list[str]] = {"intake": [], "follow-up": []}
    pkg["dataElements"] = []
    for stage in stage_des:
        for i in range(stage_elements):
            key = f"de:{stage}:{i}"
            de = _named(key, f"SYNTH {stage} item {i:03d}", short=f"SYNTH {stage[:6]} {i:03d}",
                        code=f"SYNTH_{stage.upper().replace('-', '_')}_{i:03d}",
                        domainType="TRACKER", aggregationType="NONE",
                        valueType="TEXT" if i % 3 == 0 else ("INTEGER_ZERO_OR_POSITIVE"
                                                            if i % 3 == 1 else "BOOLEAN"),
                        categoryCombo={"id": DEFAULT_CATEGORY_COMBO}, zeroIsSignificant=False,
                        formName=f"Item {i}", sharing=_sharing(),
                        attributeValues=[{"attribute": ref("attribute:package-code"),
                                          "value": f"SYNTH-{stage}-{i}"}])
            if i % 3 == 0:
                de["optionSet"] = ref(f"optionSet:{i % option_sets}")
            pkg["dataElements"].append(de)
            stage_des[stage].append(key)
    aggregate = [f"de:aggregate:{i}" for i in range(aggregate_elements)]
    pkg["dataElements"] += [
        _named(k, f"SYNTH monthly count {i:03d}", short=f"SYNTH monthly {i:03d}",
               code=f"SYNTH_MONTHLY_{i:03d}", domainType="AGGREGATE", aggregationType="SUM",
               valueType="INTEGER_ZERO_OR_POSITIVE", zeroIsSignificant=True,
               categoryCombo=ref("cc:sex-age"), sharing=_sharing())
        for i, k in enumerate(aggregate)]

    tea_keys = [f"tea:{i}" for i in range(attributes)]
    pkg["trackedEntityAttributes"] = [
        _named(k, f"SYNTH person attribute {i:02d}", short=f"SYNTH attribute {i:02d}",
               code=f"SYNTH_TEA_{i:02d}", valueType="TEXT" if i % 2 else "AGE",
               aggregationType="NONE", confidential=False, unique=False, generated=False,
               pattern="", sharing=_sharing())
        for i, k in enumerate(tea_keys)]
    pkg["trackedEntityTypes"] = [_named(
        # no shortName when built for 2.41, which has none (2.42 requires one, see helpers.py)
        "tet:person", "SYNTH Person", code="SYNTH_PERSON",
        featureType="NONE", allowAuditLog=False, minAttributesRequiredToSearch=1,
        maxTeiCountToReturn=0, sharing=_sharing(),
        trackedEntityTypeAttributes=[
            {"id": uid(f"teta:{k}"), "trackedEntityAttribute": ref(k), "displayInList": True,
             "searchable": i < 2, "mandatory": False}
            for i, k in enumerate(tea_keys[:4])])]
    if built_for >= "2.42":
        pkg["trackedEntityTypes"][0]["shortName"] = "SYNTH Person"

    program = "program:prev"
    pkg["programs"] = [_named(
        program, "SYNTH Prevention services", short="SYNTH Prevention", code="SYNTH_PREV",
        programType="WITH_REGISTRATION", accessLevel="OPEN", displayIncidentDate=True,
        onlyEnrollOnce=False, trackedEntityType=ref("tet:person"),
        categoryCombo={"id": DEFAULT_CATEGORY_COMBO}, sharing=_sharing(),
        enrollmentDateLabel="Date of enrolment", incidentDateLabel="Date of first contact",
        attributeValues=[{"attribute": ref("attribute:package-code"), "value": "SYNTH-PREV"}],
        programStages=[ref(f"stage:{s}") for s in stage_des],
        programTrackedEntityAttributes=[
            {"id": uid(f"ptea:{k}"), "trackedEntityAttribute": ref(k), "program": ref(program),
             "displayInList": i < 4, "mandatory": i == 0, "searchable": i < 2,
             "sortOrder": i + 1}  # no valueType: derived from the attribute
            for i, k in enumerate(tea_keys)])]
    pkg["programStages"], pkg["programStageSections"] = [], []
    for order, (stage, des) in enumerate(stage_des.items()):
        sections = [des[i:i + 10] for i in range(0, len(des), 10)]
        pkg["programStages"].append(_named(
            f"stage:{stage}", f"SYNTH {stage}", code=f"SYNTH_STAGE_{order}",
            program=ref(program), repeatable=stage == "follow-up", sortOrder=order + 1,
            minDaysFromStart=0, autoGenerateEvent=stage == "intake", sharing=_sharing(),
            programStageDataElements=[
                {"id": uid(f"psde:{k}"), "dataElement": ref(k), "programStage": ref(f"stage:{stage}"),
                 "compulsory": i == 0, "sortOrder": i + 1, "allowFutureDate": False,
                 "displayInReports": i < 5}
                for i, k in enumerate(des)],
            programStageSections=[ref(f"pss:{stage}:{n}") for n in range(len(sections))]))
        pkg["programStageSections"] += [
            _named(f"pss:{stage}:{n}", f"SYNTH {stage} part {n + 1}", sortOrder=n + 1,
                   programStage=ref(f"stage:{stage}"), dataElements=[ref(k) for k in chunk])
            for n, chunk in enumerate(sections)]

    # Program rules: a variable per rule, one or two actions per rule.
    pkg["programRuleVariables"], pkg["programRules"], pkg["programRuleActions"] = [], [], []
    for r in range(rules):
        stage = "intake" if r % 2 == 0 else "follow-up"
        de = stage_des[stage][(r * 3 + 1) % stage_elements]  # an INTEGER data element
        var = f"count_{r:02d}"
        pkg["programRuleVariables"].append(_named(
            f"prv:{r}", var, program=ref(program), useCodeForOptionSet=False,
            programRuleVariableSourceType="DATAELEMENT_NEWEST_EVENT_PROGRAM",
            dataElement=ref(de)))
        actions = [_named(f"pra:{r}:warn", f"warn {r}", programRule=ref(f"rule:{r}"),
                          programRuleActionType="SHOWWARNING", dataElement=ref(de),
                          content=f"Count {r} looks high: check it")]
        if r % 3 == 0:
            hidden = stage_des[stage][(r * 3 + 2) % stage_elements]
            actions.append({"id": uid(f"pra:{r}:hide"), "programRule": ref(f"rule:{r}"),
                            "programRuleActionType": "HIDEFIELD", "dataElement": ref(hidden)})
        for action in actions:
            action.pop("name", None)  # actions have no name in DHIS2's exports
        pkg["programRuleActions"] += actions
        pkg["programRules"].append(_named(
            f"rule:{r}", f"SYNTH - check count {r:02d}", program=ref(program),
            programStage=ref(f"stage:{stage}"), priority=r + 1,
            description=f"Warns when count {r} is above {10 + r}",
            condition=f"d2:hasValue(#{{{var}}}) && #{{{var}}} > {10 + r}",
            programRuleActions=[{"id": a["id"]} for a in actions]))

    pkg["programIndicators"] = []
    for p in range(program_indicators):
        stage = "intake" if p % 2 == 0 else "follow-up"
        de = stage_des[stage][(p * 3) % stage_elements]  # an option set data element
        pkg["programIndicators"].append(_named(
            f"pi:{p}", f"SYNTH PREV - indicator {p:02d}", short=f"SYNTH PI {p:02d}",
            code=f"SYNTH_PI_{p:02d}", program=ref(program), aggregationType="COUNT",
            analyticsType="EVENT" if p % 2 == 0 else "ENROLLMENT",
            expression="V{event_count}" if p % 2 == 0 else "V{enrollment_count}",
            filter=f"#{{{uid(f'stage:{stage}')}.{uid(de)}}} == 'SYNTH_OS_{p % option_sets:02d}_0'",
            displayInForm=False, sharing=_sharing(),
            analyticsPeriodBoundaries=[
                {"id": uid(f"apb:{p}:start"), "boundaryTarget": "EVENT_DATE",
                 "analyticsPeriodBoundaryType": "AFTER_START_OF_REPORTING_PERIOD"},
                {"id": uid(f"apb:{p}:end"), "boundaryTarget": "EVENT_DATE",
                 "analyticsPeriodBoundaryType": "BEFORE_END_OF_REPORTING_PERIOD"}]))

    # Types the sandbox keeps as given.
    pkg["indicatorTypes"] = [_named("it:number", "SYNTH Number", code="SYNTH_NUMBER",
                                    number=True, factor=1)]
    pkg["legendSets"] = [_named("ls:coverage", "SYNTH coverage", code="SYNTH_COVERAGE",
                                sharing=_sharing(), legends=[
        {"id": uid(f"legend:{n}"), "name": n, "startValue": lo, "endValue": hi, "color": c}
        for n, lo, hi, c in (("Low", 0.0, 50.0, "#E31A1C"), ("Medium", 50.0, 80.0, "#FFC300"),
                             ("High", 80.0, 100.0, "#267B20"))])]
    pkg["indicators"] = [_named(
        f"ind:{i}", f"SYNTH PREV - ratio {i:02d}", short=f"SYNTH ratio {i:02d}",
        code=f"SYNTH_IND_{i:02d}", indicatorType=ref("it:number"), annualized=False,
        numerator=f"#{{{uid(aggregate[i % aggregate_elements])}}}",
        numeratorDescription=f"Monthly count {i}", denominator="1", denominatorDescription="1",
        legendSets=[ref("ls:coverage")], sharing=_sharing())
        for i in range(indicators)]
    pkg["dataSets"] = [_named(
        "ds:monthly", "SYNTH PREV monthly", short="SYNTH PREV monthly", code="SYNTH_MONTHLY",
        periodType="Monthly", categoryCombo={"id": DEFAULT_CATEGORY_COMBO}, expiryDays=0,
        openFuturePeriods=0, timelyDays=15, sharing=_sharing(),
        dataSetElements=[{"dataElement": ref(k), "dataSet": ref("ds:monthly")}
                         for k in aggregate])]  # sections name their data set (the owning side)
    pkg["sections"] = [_named(f"section:{n}", f"SYNTH monthly part {n + 1}", sortOrder=n + 1,
                              dataSet=ref("ds:monthly"),
                              dataElements=[ref(k) for k in aggregate[n * 10:(n + 1) * 10]])
                       for n in range(4)]

    pkg["visualizations"] = [_named(
        f"viz:{v}", f"SYNTH PREV - chart {v:02d}", code=f"SYNTH_VIZ_{v:02d}",
        type="COLUMN" if v % 2 else "PIVOT_TABLE", sharing=_sharing(),
        dataDimensionItems=[
            {"dataDimensionItemType": "PROGRAM_INDICATOR",
             "programIndicator": ref(f"pi:{v % program_indicators}")},
            {"dataDimensionItemType": "INDICATOR", "indicator": ref(f"ind:{v % indicators}")}],
        columnDimensions=["dx"], rowDimensions=["pe"], filterDimensions=["ou"],
        rawPeriods=["LAST_12_MONTHS"], organisationUnitLevels=[], organisationUnits=[],
        userOrganisationUnit=True, digitGroupSeparator="SPACE", displayDensity="NORMAL",
        fontSize="NORMAL", legend={"showKey": False, "strategy": "FIXED"})
        for v in range(visualizations)]
    pkg["maps"] = [_named(
        f"map:{m}", f"SYNTH PREV - map {m}", code=f"SYNTH_MAP_{m}", basemap="osmLight",
        latitude=16.0, longitude=106.0, zoom=5, sharing=_sharing(),
        mapViews=[{"id": uid(f"mapView:{m}"), "layer": "thematic",
                   "dataDimensionItems": [{"dataDimensionItemType": "INDICATOR",
                                           "indicator": ref(f"ind:{m}")}],
                   "rawPeriods": ["THIS_YEAR"], "userOrganisationUnit": True,
                   "legendSet": ref("ls:coverage"), "opacity": 0.9}])
        for m in range(5)]
    pkg["dashboards"] = []
    per_dashboard = visualizations // 4
    for d in range(4):
        # no `type`: DashboardItem#getType is derived from the content, not written
        items = [{"id": uid(f"item:{d}:{v}"),
                  "visualization": ref(f"viz:{v}"), "x": (n % 2) * 29, "y": (n // 2) * 20,
                  "width": 29, "height": 20}
                 for n, v in enumerate(range(d * per_dashboard, (d + 1) * per_dashboard))]
        items.append({"id": uid(f"item:{d}:map"), "map": ref(f"map:{d}"),
                      "x": 0, "y": (len(items) // 2 + 1) * 20, "width": 58, "height": 20})
        items.append({"id": uid(f"item:{d}:text"), "x": 0, "y": 0,
                      "width": 58, "height": 5,
                      "text": "Synthetic figures for testing; not real data"})
        pkg["dashboards"].append(_named(f"dashboard:{d}", f"SYNTH PREV - {d + 1}",
                                        code=f"SYNTH_DASH_{d}", sharing=_sharing(),
                                        dashboardItems=items))
    pkg["aggregateDataExchanges"] = [_named(
        "ade:monthly", "SYNTH PREV aggregation", code="SYNTH_ADE", sharing=_sharing(),
        source={"params": {"periodTypes": ["MONTHLY"]}, "requests": [
            {"name": "SYNTH monthly", "dx": [uid(f"pi:{p}") for p in range(10)],
             "pe": ["LAST_3_MONTHS"], "ou": ["LEVEL-4"], "inputIdScheme": "UID",
             "outputIdScheme": "UID", "outputOrgUnitIdScheme": "UID", "filters": []}]},
        target={"type": "INTERNAL", "request": {"idScheme": "UID"}})]
    return pkg


def object_count(pkg: dict[str, Any]) -> int:
    """Top-level objects: what POST /api/metadata counts in `stats.total`."""
    return sum(len(v) for v in pkg.values() if isinstance(v, list))
