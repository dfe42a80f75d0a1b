"""`scdi demo`, the README's main job, end to end on the in-process sandbox."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from scdi.cli.main import cli


@pytest.fixture(scope="module")
def demo_report() -> dict:
    result = CliRunner().invoke(cli, ["demo", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def step(report: dict, name: str) -> dict:
    return next(s for s in report["steps"] if s["name"] == name)


def test_every_step_succeeds(demo_report):
    names = [s["name"] for s in demo_report["steps"]]
    assert names == [
        "doctor", "validate", "deploy --dry-run", "deploy", "deploy again",
        "confidential storage", "groups", "group leader", "rosters", "roster sync", "reports", "official",
    ]
    assert all(s["ok"] for s in demo_report["steps"]), demo_report["steps"]


def test_the_roster_step_validates_and_finds_mistakes(demo_report):
    details = "\n".join(step(demo_report, "rosters")["details"])
    assert "0 errors" in details and "duplicate-member" in details
    assert "DEMO-001" not in details  # member codes never reach the output


def test_second_deploy_writes_nothing(demo_report):
    assert "0 write requests" in step(demo_report, "deploy again")["summary"]
    assert "already installed" in step(demo_report, "deploy again")["summary"]
    assert "0 write requests" in step(demo_report, "deploy --dry-run")["summary"]


def test_group_leader_sees_the_programs_in_vietnamese(demo_report):
    leader = step(demo_report, "group leader")
    # hp.kntc, provisioned by the groups step, signs in: a club gets the peer group and member
    # programs, not the outreach program (assigned to counselling points and outreach teams only)
    assert leader["summary"] == "hp.kntc signs in: 2 programs on the phone"
    text = "\n".join(leader["details"])
    assert "Thành viên" in text and "Sinh hoạt nhóm" in text
    assert "leader hp.kntc signs in" in "\n".join(step(demo_report, "groups")["details"])


def test_the_sync_step_merges_both_sides_and_keeps_a_conflict(demo_report):
    sync = step(demo_report, "roster sync")
    details = "\n".join(sync["details"])
    assert "push again: 0 write requests" in details
    assert "sync: update 2" in details and "conflict 1" in details and "conflict kept open" in details
    assert "HP-KNTC-0" not in details  # member codes never reach the output


def test_the_report_step_shows_the_figures_stale_then_the_same_for_leader_and_officials(demo_report):
    assert demo_report["not_built_yet"] == []  # the reports stage was the last one named
    report = step(demo_report, "reports")
    assert report["ok"], report
    details = "\n".join(report["details"])
    assert "before the analytics tables are refreshed: 0 figures with a value" in details
    assert "SCDI Người được vay vốn: " in details  # Vietnamese labels
    same = next(line for line in report["details"] if line.startswith("officials"))
    shown, total = same.split(": ")[1].split(" figures")[0].split(" of ")
    assert shown == total and int(total) >= 17
    assert "HP-KNTC-0" not in details  # member codes never reach the output


def test_demo_for_people_prints_steps():
    result = CliRunner().invoke(cli, ["demo", "--version", "2.43"], catch_exceptions=False)
    assert "[ok ] deploy:" in result.output
    assert "[ok ] reports:" in result.output and "Every stage of the product is built" in result.output
