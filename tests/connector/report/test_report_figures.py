"""`scdi report` against the sandbox: rosters pushed through the connector, figures computed by
hand from the same rows, stale until the analytics tables are refreshed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from scdi.cli.main import cli
from scdi.connector.report import ReportRequest, refresh_analytics, run_report
from scdi.connector.roster.contract import default_package, load_contract
from scdi.connector.sync.engine import run
from tests.connector.provision.conftest import Deployed, start_deployed
from tests.connector.sync.conftest import GROUP, TODAY, provision_demo
from tests.roster_fixture import RosterData, make_roster, write_xlsx

CODES = ["SCDI_PI_LOAN_PEOPLE", "SCDI_PI_LOAN_VND", "SCDI_PI_HOUSES_BUILT", "SCDI_PI_HOUSES_REPAIRED",
         "SCDI_PI_GIFT_VND", "SCDI_PI_GIFT_PEOPLE", "SCDI_PI_MEMBERS_IN_MEETINGS"]


def _by_hand(data: RosterData, months: tuple[int, int]) -> dict[str, float]:
    """The figures, from the roster rows alone, for the months [first, last] of 2025."""
    def inside(row: dict[str, str | None]) -> bool:
        day = str(row["date"])
        return day.startswith("2025-") and months[0] <= int(day[5:7]) <= months[1]
    support = [r for r in data.rows["support"] if inside(r)]
    kind = lambda k: [r for r in support if r.get("sup_kind") == f"SCDI_SUPPORT_KIND_{k}"]  # noqa: E731
    return {
        "SCDI_PI_LOAN_PEOPLE": len({r["member_code"] for r in kind("LOAN")}),
        "SCDI_PI_LOAN_VND": sum(int(r["sup_amount_vnd"] or 0) for r in kind("LOAN")),
        "SCDI_PI_HOUSES_BUILT": len(kind("HOUSE_BUILT")),
        "SCDI_PI_HOUSES_REPAIRED": len(kind("HOUSE_REPAIRED")),
        "SCDI_PI_GIFT_VND": sum(int(r["sup_amount_vnd"] or 0) for r in kind("GIFT")),
        "SCDI_PI_GIFT_PEOPLE": len({r["member_code"] for r in kind("GIFT")}),
        "SCDI_PI_MEMBERS_IN_MEETINGS": len({r["member_code"] for r in data.rows.get("attendance", [])
                                            if inside(r)}),
    }


@pytest.fixture(scope="module", params=[19, 4242], ids=["seed-19", "random-4242"])
def pushed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[Deployed, RosterData]]:
    server = start_deployed("current", "2.42")
    folder = tmp_path_factory.mktemp("report")
    provision_demo(server, folder)
    contract = load_contract("member", default_package())
    data = make_roster(contract, members=40, seed=request.param, group=GROUP)
    path = write_xlsx(data, contract, folder / "roster.xlsx")
    assert run(server.client, path, GROUP, "push", state_dir=folder / "state", today=TODAY).ok
    yield server, data
    server.client.close()
    server.sandbox.stop()


def _figures(server: Deployed, period: str) -> dict[str, float]:
    result = run_report(server.client, default_package(),
                        ReportRequest(periods=[period], group=GROUP, codes=CODES, lang="en"))
    return {code: per_pe[period][result.org_units[0]] for code, per_pe in result.by_code().items()}


def test_figures_are_stale_until_refresh_then_exact_by_period(pushed: tuple[Deployed, RosterData]) -> None:
    server, data = pushed
    assert set(_figures(server, "2025").values()) == {0.0}  # pushed, not yet in the analytics tables
    refresh_analytics(server.client)
    assert _figures(server, "2025") == _by_hand(data, (1, 12))
    assert _figures(server, "2025Q2") == _by_hand(data, (4, 6))
    assert _figures(server, "202511") == _by_hand(data, (11, 11))
    expected = _by_hand(data, (1, 12))
    assert expected["SCDI_PI_MEMBERS_IN_MEETINGS"] > 0 and expected["SCDI_PI_LOAN_VND"] > 0


def test_a_deleted_record_leaves_the_figures_at_the_next_refresh(pushed: tuple[Deployed, RosterData]) -> None:
    server, _ = pushed
    refresh_analytics(server.client)
    before = _figures(server, "2025")
    loans = server.client.get("tracker/events", params={
        "program": "Kyzu6Eqr46f", "programStage": "UCwX1lFVKTo", "orgUnit": _group_uid(server),
        "fields": "event,dataValues", "paging": "false"})
    events = loans.get("events") or loans.get("instances") or []
    loan = next(e for e in events if any(v["value"] == "SCDI_SUPPORT_KIND_LOAN" for v in e["dataValues"]))
    amount = next(float(v["value"]) for v in loan["dataValues"] if v["dataElement"] == "MMFnQ5N5k0R")
    server.client.post("tracker", json={"events": [{"event": loan["event"]}]},
                       params={"importStrategy": "DELETE", "async": "false"})
    assert _figures(server, "2025") == before  # still the old tables
    refresh_analytics(server.client)
    assert _figures(server, "2025")["SCDI_PI_LOAN_VND"] == before["SCDI_PI_LOAN_VND"] - amount


def _group_uid(server: Deployed) -> str:
    found = server.client.get("organisationUnits", params={"filter": f"code:eq:{GROUP}", "fields": "id"})
    return str(found["organisationUnits"][0]["id"])


def test_cli_json_keys_figures_by_indicator_code(pushed: tuple[Deployed, RosterData], tmp_path: Path) -> None:
    server, _ = pushed
    result = CliRunner().invoke(cli, [
        "report", "--base-url", server.sandbox.url, "-u", "admin", "--password", "district",
        "--period", "2025", "--group", GROUP, "--indicators", ",".join(CODES), "--format", "json",
        "--refresh"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert sorted(shown) == sorted(CODES)
    # the same figures as the library reads (an earlier test may have deleted a record)
    expected = _figures(server, "2025")
    assert {code: next(iter(shown[code]["2025"].values())) for code in CODES} == expected
    assert expected["SCDI_PI_LOAN_VND"] > 0
    table = CliRunner().invoke(cli, [
        "report", "--base-url", server.sandbox.url, "-u", "admin", "--password", "district",
        "--period", "2025", "--group", GROUP, "--indicators", "SCDI_PI_LOAN_VND", "--lang", "vi"])
    assert table.exit_code == 0 and "SCDI_PI_LOAN_VND" in table.output
