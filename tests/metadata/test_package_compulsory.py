"""The fields every figure needs are compulsory where they are captured.

From each row of the README's figure table (metadata/README.md, "Each figure → indicator →
dashboard item") to what it is computed from: an aggregate data element → the program
indicators the aggregate data exchange writes into it; an indicator → the program indicators
and data elements of its formula; a program indicator → the stage data elements (`#{stage.de}`)
and attributes (`A{attribute}`) of its expression and filter. Each of those must be compulsory
in its stage (or mandatory in the program), or made mandatory by a program rule where it
applies (the amount of a loan or gift, a returnee's return date, the date a referral was
completed), or filled in by a rule (the age band, from the compulsory year of birth).
A figure whose field is left blank is silently smaller; DHIS2 refuses a compulsory field left
empty on the phone, in the web Capture app and in the tracker importer."""

from __future__ import annotations

import re
from typing import Any

import requests

from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.metadata.deploy import deploy
from scdi.connector.metadata.source import load_source

from .conftest import REPO_METADATA
from .test_package_analytics import _fed, _readme_rows

STAGE_ELEMENT = re.compile(r"#\{([A-Za-z][A-Za-z0-9]{10})\.([A-Za-z][A-Za-z0-9]{10})\}")
ATTRIBUTE = re.compile(r"A\{([A-Za-z][A-Za-z0-9]{10})\}")
INDICATOR_ITEM = re.compile(r"([#I])\{([A-Za-z][A-Za-z0-9]{10})\}")


def _sources(package: dict[str, Any]) -> tuple[set[tuple[str, str]], set[str], dict[str, set[str]]]:
    """(stage, data element) pairs and attributes the figure table depends on, with the
    figures that need each."""
    program_indicators = {o["code"]: o for o in package["programIndicators"]}
    pi_by_uid = {o["id"]: o for o in package["programIndicators"]}
    indicators = {o["code"]: o for o in package["indicators"]}
    data_elements = {o["code"]: o for o in package["dataElements"]}
    fed = _fed(package)
    elements: set[tuple[str, str]] = set()
    attributes: set[str] = set()
    needed_by: dict[str, set[str]] = {}

    def from_program_indicator(indicator: dict[str, Any], figure: str) -> None:
        text = indicator["expression"] + " " + indicator.get("filter", "")
        for stage, element in STAGE_ELEMENT.findall(text):
            elements.add((stage, element))
            needed_by.setdefault(element, set()).add(figure)
        for attribute in ATTRIBUTE.findall(text):
            attributes.add(attribute)
            needed_by.setdefault(attribute, set()).add(figure)

    def resolve(code: str, figure: str) -> None:
        if code in program_indicators:
            from_program_indicator(program_indicators[code], figure)
        elif code in indicators:
            formula = indicators[code]["numerator"] + " " + indicators[code]["denominator"]
            for kind, uid in INDICATOR_ITEM.findall(formula):
                if kind == "I":
                    from_program_indicator(pi_by_uid[uid], figure)
                else:
                    de = next(d for d in package["dataElements"] if d["id"] == uid)
                    resolve(de["code"], figure)
        elif code in data_elements:
            for feeding in fed.get(code, set()):
                from_program_indicator(program_indicators[feeding], figure)
        else:
            raise AssertionError(f"{figure}: {code} is not in the package")

    rows = _readme_rows()
    assert len(rows) >= 50
    for _source, figure, code, _item, aggregate, _aggregate_item, _definition in rows:
        resolve(code, figure)
        if aggregate:
            resolve(aggregate, figure)
    return elements, attributes, needed_by


def test_every_field_a_figure_depends_on_is_compulsory_where_it_is_captured(package: dict[str, Any]) -> None:
    elements, attributes, needed_by = _sources(package)
    assert len(elements) >= 25 and len(attributes) >= 3, "the table reaches the fields"
    stages = {s["id"]: s for s in package["programStages"]}
    names = {o["id"]: o["code"] for t in ("dataElements", "trackedEntityAttributes", "programStages")
             for o in package[t]}
    mandatory_by_rule = {a["dataElement"]["id"] for a in package["programRuleActions"]
                         if a["programRuleActionType"] == "SETMANDATORYFIELD" and "dataElement" in a}
    assigned_by_rule = {a["trackedEntityAttribute"]["id"] for a in package["programRuleActions"]
                        if a["programRuleActionType"] == "ASSIGN" and "trackedEntityAttribute" in a}
    program_attributes = {p["trackedEntityAttribute"]["id"]: p for program in package["programs"]
                          for p in program.get("programTrackedEntityAttributes", [])}
    problems = []
    for stage_uid, element in sorted(elements):
        psde = next((p for p in stages[stage_uid]["programStageDataElements"] if p["dataElement"]["id"] == element),
                    None)
        if psde is None:
            problems.append(f"{names[element]} is not in stage {names[stage_uid]}")
        elif not psde["compulsory"] and element not in mandatory_by_rule:
            problems.append(f"{names[stage_uid]}.{names[element]} is optional; needed by {sorted(needed_by[element])}")
    for attribute in sorted(attributes):
        entry = program_attributes.get(attribute)
        if entry is None:
            problems.append(f"{names[attribute]} is in no program")
        elif not entry["mandatory"] and attribute not in assigned_by_rule:
            problems.append(f"{names[attribute]} is optional; needed by {sorted(needed_by[attribute])}")
    assert not problems, "\n".join(problems)
    # what the issue names, explicitly
    compulsory = {names[p["dataElement"]["id"]] for s in package["programStages"]
                  for p in s["programStageDataElements"] if p["compulsory"]}
    assert {"SCDI_FU_USED_30D", "SCDI_SUP_KIND", "SCDI_REF_SERVICE", "SCDI_REF_OUTCOME", "SCDI_OUT_SESSION_KIND",
            "SCDI_OUT_CLIENTS_MALE", "SCDI_OUT_CLIENTS_FEMALE", "SCDI_OUT_COMMUNE",
            "SCDI_MTG_MEMBERS_PRESENT"} <= compulsory


def test_a_blank_outreach_session_cannot_be_saved(package: dict[str, Any]) -> None:
    """Everything on the session form but the topic ticks (a tick can only be yes) must be
    filled in: the stage validates on every save (ON_UPDATE_AND_INSERT), not only on completion."""
    session = next(s for s in package["programStages"] if s["code"] == "SCDI_OUTREACH_SESSION")
    value_types = {d["id"]: d["valueType"] for d in package["dataElements"]}
    assert session["validationStrategy"] == "ON_UPDATE_AND_INSERT"
    optional = [p["dataElement"]["id"] for p in session["programStageDataElements"]
                if not p["compulsory"] and value_types[p["dataElement"]["id"]] != "TRUE_ONLY"]
    assert optional == []


def test_the_tracker_importer_refuses_a_blank_session(fresh_sandbox: Any) -> None:
    """The same through DHIS2's tracker importer (E1303, mandatory data element missing), as the
    connector's roster import and Android's sync meet it."""
    item = load_source(REPO_METADATA)
    with Dhis2Client(ServerSettings(base_url=fresh_sandbox.url, username="admin", password="district")) as client:
        deploy(client, item.package, dependencies=item.dependencies)
        commune = client.get("organisationUnits", params={"level": 3, "fields": "id", "paging": "false"})[
            "organisationUnits"][0]["id"]
        program = client.get("programs/qwDpRjzhCPS")
        program["organisationUnits"] = [{"id": commune}]
        client.put("programs/qwDpRjzhCPS", json=program)
        session = next(s for s in item.package["programStages"] if s["code"] == "SCDI_OUTREACH_SESSION")
        compulsory = {p["dataElement"]["id"] for p in session["programStageDataElements"] if p["compulsory"]}
        blank = {"event": "BlankSess01", "program": "qwDpRjzhCPS", "programStage": session["id"], "orgUnit": commune,
                 "occurredAt": "2025-03-01", "status": "ACTIVE", "dataValues": []}
        answer = requests.post(f"{fresh_sandbox.url}/api/tracker", params={"async": "false"},
                               auth=("admin", "district"), json={"events": [blank]}, timeout=60).json()
        assert answer["status"] == "ERROR"
        errors = answer["validationReport"]["errorReports"]
        assert {e["errorCode"] for e in errors} == {"E1303"} and len(errors) == len(compulsory)
        filled = dict(blank, dataValues=[{"dataElement": uid, "value": commune if uid == "z27yGlM8hCw" else
                                          ("SCDI_SESSION_KIND_GROUP" if uid == "rBaHgIznF50" else "0")}
                                         for uid in sorted(compulsory)])
        answer = client.post("tracker", json={"events": [filled]}, params={"async": "false"})
        assert answer["status"] == "OK", answer
