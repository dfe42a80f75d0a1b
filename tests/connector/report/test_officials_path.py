"""The officials' path in the sandbox: data value sets (import counts and conflicts, export),
aggregate analytics on data elements and operands, and an aggregate data exchange from the
package's program indicators into its aggregate data elements, compared with the indicators."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from scdi.connector.report import ReportRequest, publish, refresh_analytics, run_report
from scdi.connector.report.figures import DEFAULT_CODES
from scdi.connector.roster.contract import default_package, load_contract
from scdi.connector.sync.engine import run
from tests.connector.provision.conftest import Deployed, start_deployed
from tests.connector.sync.conftest import GROUP, TODAY, provision_demo
from tests.roster_fixture import RosterData, make_roster, write_xlsx

MONTHLY = ["SCDI_PI_LOAN_VND", "SCDI_PI_HOUSES_BUILT", "SCDI_PI_HOUSES_REPAIRED", "SCDI_PI_GIFT_VND"]
YEARLY = ["SCDI_PI_LOAN_PEOPLE", "SCDI_PI_GIFT_PEOPLE", "SCDI_PI_MEMBERS_IN_MEETINGS"]
MONTHS = [f"2025{m:02d}" for m in range(1, 13)]


def _by_code(plural: str) -> dict[str, dict[str, Any]]:
    return {str(d.get("code")): d for d in default_package().get(plural) or []}


@pytest.fixture(scope="module")
def pushed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Deployed, RosterData]]:
    deployed = start_deployed("current", "2.42")
    folder = tmp_path_factory.mktemp("officials")
    provision_demo(deployed, folder)
    contract = load_contract("member", default_package())
    data = make_roster(contract, members=30, seed=7, group=GROUP)
    path = write_xlsx(data, contract, folder / "roster.xlsx")
    assert run(deployed.client, path, GROUP, "push", state_dir=folder / "state", today=TODAY).ok
    yield deployed, data
    deployed.client.close()
    deployed.sandbox.stop()


@pytest.fixture(scope="module")
def server(pushed: tuple[Deployed, RosterData]) -> Deployed:
    return pushed[0]


def _http(server: Deployed, user: str = "admin", password: str = "district") -> requests.Session:
    session = requests.Session()
    session.auth = (user, password)
    return session


def _unit(server: Deployed, code: str) -> dict[str, Any]:
    found = server.client.get("organisationUnits", params={"filter": f"code:eq:{code}",
                                                           "fields": "id,path,parent[id]"})
    return dict(found["organisationUnits"][0])


def _post_values(server: Deployed, body: dict[str, Any], **params: str) -> requests.Response:
    return _http(server).post(f"{server.sandbox.url}/api/dataValueSets", json=body, params=params)


def test_a_data_value_set_is_counted_and_its_conflicts_follow_the_validator_order(server: Deployed) -> None:
    unit = _unit(server, GROUP)["id"]
    houses = _by_code("dataElements")["SCDI_AGG_HOUSES_BUILT"]["id"]
    first = _post_values(server, {"dataValues": [
        {"dataElement": houses, "period": "201501", "orgUnit": unit, "value": "3"},
        {"dataElement": "noSuchDE01", "period": "notaperiod", "orgUnit": "noSuchOU01", "value": "1"},
        {"dataElement": houses, "period": "notaperiod", "orgUnit": "noSuchOU01", "value": "1"},
        {"dataElement": houses, "period": "201502", "orgUnit": "noSuchOU01", "value": "1"},
        {"dataElement": houses, "period": "201503", "orgUnit": unit, "value": "2.5"},
        {"dataElement": houses, "period": "201504", "orgUnit": unit},
        {"dataElement": houses, "period": "201505", "orgUnit": unit, "value": "0"},
    ]})
    assert first.status_code == 409 and first.json()["status"] == "WARNING"
    summary = first.json()["response"]
    assert summary["responseType"] == "ImportSummary" and summary["status"] == "WARNING"
    # each rejected value shows only its first failing check, in the validator's order
    assert [(c["errorCode"], c["indexes"]) for c in summary["conflicts"]] == [
        ("E7610", [1]), ("E7611", [2]), ("E7612", [3]), ("E7619", [4]), ("E7618", [5])]
    # the insignificant zero is neither imported nor ignored
    assert summary["importCount"] == {"imported": 1, "updated": 0, "ignored": 5, "deleted": 0}
    assert summary["rejectedIndexes"] == [1, 2, 3, 4, 5]
    again = _post_values(server, {"dataValues": [
        {"dataElement": houses, "period": "201501", "orgUnit": unit, "value": "3"},
        {"dataElement": houses, "period": "201502", "orgUnit": unit, "value": "4"}]})
    assert again.status_code == 200 and again.json()["message"] == "Import was successful."
    assert again.json()["response"]["importCount"] == {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0}
    changed = _post_values(server, {"dataValues": [
        {"dataElement": houses, "period": "201501", "orgUnit": unit, "value": "5"},
        {"dataElement": houses, "period": "201502", "orgUnit": unit, "value": "0"}]})
    assert changed.json()["response"]["importCount"] == {"imported": 0, "updated": 1, "ignored": 0, "deleted": 1}
    read = _http(server).get(f"{server.sandbox.url}/api/dataValueSets", params={
        "dataElement": houses, "startDate": "2015-01-01", "endDate": "2015-12-31", "orgUnit": unit})
    assert read.status_code == 200
    assert [(v["period"], v["value"]) for v in read.json()["dataValues"]] == [("201501", "5")]


def test_an_aborted_set_and_refused_exports(server: Deployed) -> None:
    aborted = _post_values(server, {"dataSet": "noSuchDS01", "dataValues": []})
    assert aborted.status_code == 409 and aborted.json()["status"] == "ERROR"
    assert aborted.json()["response"]["description"] == "Import process was aborted"
    assert [c["errorCode"] for c in aborted.json()["response"]["conflicts"]] == ["E7600"]
    http = _http(server)
    no_unit = http.get(f"{server.sandbox.url}/api/dataValueSets", params={"dataSet": "FW2UpErc4pK",
                                                                          "period": "202501"})
    assert no_unit.status_code == 409 and no_unit.json()["errorCode"] == "E2006"
    nothing = http.get(f"{server.sandbox.url}/api/dataValueSets", params={"period": "202501"})
    assert nothing.json()["errorCode"] == "E2006"  # E2001 fails too: the last failing rule wins, as in DHIS2
    no_period = http.get(f"{server.sandbox.url}/api/dataValueSets", params={
        "dataSet": "FW2UpErc4pK", "orgUnit": _unit(server, GROUP)["id"]})
    assert no_period.json()["errorCode"] == "E2002"


def _exchange(server: Deployed, uid: str, sharing_public: str = "--------") -> None:
    pis = _by_code("programIndicators")
    request = {"inputIdScheme": "UID", "outputIdScheme": "ATTRIBUTE:vd7LiJ23kaH", "outputOrgUnitIdScheme": "UID",
               "ou": ["LEVEL-3"], "filters": []}
    exchange = {"id": uid, "name": f"Test exchange {uid}", "code": f"TEST_{uid}",
                "sharing": {"public": sharing_public, "external": False, "users": {}, "userGroups": {}},
                "source": {"requests": [
                    {**request, "name": "monthly", "dx": [pis[c]["id"] for c in MONTHLY], "pe": MONTHS},
                    {**request, "name": "yearly", "dx": [pis[c]["id"] for c in YEARLY], "pe": ["2025"]}]},
                "target": {"type": "INTERNAL", "request": {
                    "dataElementIdScheme": "CODE", "categoryOptionComboIdScheme": "CODE", "idScheme": "UID",
                    "orgUnitIdScheme": "UID", "importStrategy": "CREATE_AND_UPDATE"}}}
    answer = server.client.post("metadata", json={"aggregateDataExchanges": [exchange]})
    assert answer["status"] == "OK", answer


def _analytics(server: Deployed, dx: list[str], pe: str, ou: str) -> dict[str, float]:
    answer = server.client.get("analytics", params={"dimension": [f"dx:{';'.join(dx)}", f"pe:{pe}"],
                                                    "filter": f"ou:{ou}"})
    return {row[0]: float(row[-1]) for row in answer["rows"]}


def test_the_exchange_writes_the_indicators_figures_into_the_aggregate_data_elements(server: Deployed) -> None:
    _exchange(server, "TstExchng01")
    refresh_analytics(server.client)
    http = _http(server)
    ran = http.post(f"{server.sandbox.url}/api/aggregateDataExchanges/TstExchng01/exchange")
    assert ran.status_code == 200, ran.text
    summaries = ran.json()["response"]
    assert summaries["responseType"] == "ImportSummaries"
    assert summaries["imported"] > 0 and summaries["ignored"] == 0
    assert [s["status"] for s in summaries["importSummaries"]] == ["SUCCESS", "SUCCESS"]
    # ImportSummaries#getTotal: the counts summed, not the number of summaries
    assert summaries["total"] == sum(summaries[k] for k in ("imported", "updated", "deleted", "ignored"))
    commune = _unit(server, GROUP)["parent"]["id"]
    pis, des = _by_code("programIndicators"), _by_code("dataElements")
    target = {c: des[next(a["value"] for a in pis[c]["attributeValues"]
                          if a["attribute"]["id"] == "vd7LiJ23kaH")]["id"] for c in MONTHLY + YEARLY}
    before = _analytics(server, [target[c] for c in MONTHLY + YEARLY], "2025", commune)
    assert before == {}  # written, not yet in the analytics tables
    refresh_analytics(server.client)
    figures = _analytics(server, [pis[c]["id"] for c in MONTHLY + YEARLY], "2025", commune)
    aggregates = _analytics(server, [target[c] for c in MONTHLY + YEARLY], "2025", commune)
    assert figures and {target[c]: figures[pis[c]["id"]] for c in MONTHLY + YEARLY if pis[c]["id"] in figures} \
        == aggregates
    # monthly values add up to the year; a quarter is its three months
    q2 = _analytics(server, [pis[c]["id"] for c in MONTHLY], "2025Q2", commune)
    assert {target[c]: q2[pis[c]["id"]] for c in MONTHLY if pis[c]["id"] in q2} == _analytics(
        server, [target[c] for c in MONTHLY], "2025Q2", commune)
    # the same run again changes nothing
    again = http.post(f"{server.sandbox.url}/api/aggregateDataExchanges/TstExchng01/exchange").json()["response"]
    assert (again["imported"], again["updated"], again["ignored"]) == (0, 0, summaries["imported"])
    # an operand (data element with its category option combo) reads the default combo's value
    operand = f"{target['SCDI_PI_LOAN_VND']}.HllvX50cXC0"
    assert _analytics(server, [operand], "2025", commune) == {operand: aggregates[target["SCDI_PI_LOAN_VND"]]}


def test_an_exchange_without_data_write_sharing_writes_nothing(server: Deployed) -> None:
    _exchange(server, "TstExchng02", sharing_public="r-------")
    users = server.client.get("users", params={"filter": "username:eq:province.officer", "fields": "id"})
    assert users["users"]
    ran = _http(server, "province.officer").post(
        f"{server.sandbox.url}/api/aggregateDataExchanges/TstExchng02/exchange")
    assert ran.status_code == 409 and ran.json()["status"] == "ERROR"
    summary = ran.json()["response"]["importSummaries"]
    assert [s["description"] for s in summary] == [
        "User has no data write access for AggregateDataExchange: Test exchange TstExchng02"]
    missing = _http(server).post(f"{server.sandbox.url}/api/aggregateDataExchanges/noSuchExch1/exchange")
    assert missing.status_code == 409 and missing.json()["errorCode"] == "E1113"


def test_the_package_exchange_is_imported_with_its_sources(server: Deployed, tmp_path: Path) -> None:
    found = server.client.get("aggregateDataExchanges/ISVf8LvvnTg", params={"fields": "id,target,source"})
    assert found["target"]["type"] == "INTERNAL"
    assert [r["outputIdScheme"] for r in found["source"]["requests"]] == ["ATTRIBUTE:vd7LiJ23kaH"] * 2


def test_publish_runs_the_exchange_for_the_periods_given_and_says_what_it_wrote(server: Deployed) -> None:
    from click.testing import CliRunner

    from scdi.cli.main import cli

    _exchange(server, "TstExchng03")
    base = ["--base-url", server.sandbox.url, "-u", "admin", "--password", "district"]
    # 2024 has no records, so nothing is written for it
    empty = CliRunner().invoke(cli, ["report", "publish", *base, "--exchange", "TEST_TstExchng03",
                                     "--period", "202401", "--period", "2024", "--refresh", "--format", "json"])
    assert empty.exit_code == 0, empty.output
    shown = json.loads(empty.stdout)
    assert shown["periods"] == ["202401", "2024"]
    assert [r["name"] for r in shown["requests"]] == ["monthly", "yearly"]
    assert all(r["imported"] + r["updated"] == 0 for r in shown["requests"])
    # only the yearly request has a period of its type: the monthly one is left out
    yearly = CliRunner().invoke(cli, ["report", "publish", *base, "--exchange", "TEST_TstExchng03",
                                      "--period", "2025", "--format", "json"])
    assert yearly.exit_code == 0, yearly.output
    requests_ = json.loads(yearly.stdout)["requests"]
    assert [r["name"] for r in requests_] == ["yearly"]
    assert requests_[0]["imported"] + requests_[0]["ignored"] > 0
    rerun = CliRunner().invoke(cli, ["report", "publish", *base, "--exchange", "TEST_TstExchng03",
                                     "--period", "2025", "--format", "json"])
    again = json.loads(rerun.stdout)["requests"][0]
    # the same values again: counted as unchanged, nothing imported
    assert (again["imported"], again["ignored"]) == (0, requests_[0]["imported"] + requests_[0]["ignored"])
    table = CliRunner().invoke(cli, ["report", "publish", *base, "--exchange", "TEST_TstExchng03",
                                     "--period", "202512"])
    assert table.exit_code == 0 and "values written for 202512" in table.output
    missing = CliRunner().invoke(cli, ["report", "publish", *base, "--exchange", "NO_SUCH_EXCHANGE"])
    assert missing.exit_code != 0 and "NO_SUCH_EXCHANGE" in missing.output


def test_the_package_exchange_runs_and_every_default_figure_evaluates(pushed: tuple[Deployed, RosterData]) -> None:
    server, data = pushed
    refresh_analytics(server.client)
    # d2:hasValue of a number and d2:monthsBetween of a missing date are in the package's own
    # indicators: the exchange reads every one of them
    result = publish(server.client, ["2025", *MONTHS], "SCDI_FIGURES")
    assert result.status != "ERROR", result
    assert [r.status for r in result.requests] == ["SUCCESS", "SUCCESS"] and result.written > 0
    codes = [*DEFAULT_CODES, "SCDI_PI_COUNSELLING_RECEIVED"]
    report = run_report(server.client, default_package(),
                        ReportRequest(periods=["2025"], group=GROUP, codes=codes, lang="en"))
    figures = {code: next(iter(per_pe["2025"].values())) for code, per_pe in report.by_code().items()}
    assert sorted(figures) == sorted(codes)
    # counselling contacts: the follow-ups' sessions, a zero included, summed by hand
    sessions = [int(r["fu_counselling_sessions"]) for r in data.rows["followup"]
                if str(r["date"]).startswith("2025-") and r.get("fu_counselling_sessions") is not None]
    assert 0 in sessions and figures["SCDI_PI_COUNSELLING_RECEIVED"] == sum(sessions) > 0
