"""The rule engine's answers kept for the day: the same findings, and an unchanged record judged once."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from scdi.connector.roster import engine_stream
from scdi.connector.roster.validate import validate_roster
from scdi.connector.roster.verdicts import canonical, keepable, renamed
from scdi.connector.roster.write import write_roster
from scdi.connector.sync.ledger import Ledger

from .conftest import needs_engines
from .test_rules import PLANS

DAY = date(2025, 12, 31)


class DictStore:
    def __init__(self) -> None:
        self.kept: dict[str, tuple[str, str]] = {}

    def verdicts(self, keys: list[str]) -> dict[str, str]:
        return {k: self.kept[k][1] for k in keys if k in self.kept}

    def keep_verdicts(self, day: str, items: list[tuple[str, str]]) -> None:
        self.kept = {k: v for k, v in self.kept.items() if v[0] == day}
        self.kept.update((k, (day, answer)) for k, answer in items)


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every job that reaches the engine."""
    jobs: list[dict[str, Any]] = []
    send = engine_stream.EngineStream.send

    def counting(self: engine_stream.EngineStream, batch: Any) -> None:
        batch = list(batch)
        jobs.extend(batch)
        send(self, batch)

    monkeypatch.setattr(engine_stream.EngineStream, "send", counting)
    return jobs


def _found(report: Any) -> list[tuple[Any, ...]]:
    return sorted((f.sheet, f.row, f.column, f.code, f.message) for f in report.findings)


def test_the_digest_ignores_invented_uids_and_sees_values_and_the_day() -> None:
    job = {"id": "j7", "today": "2025-12-31", "rules": [{"uid": "r"}], "variables": [], "constants": {},
           "enrollment": {"uid": "n3", "enrolledAt": "2020-01-01", "attributes": {"a": "1980"}},
           "events": [{"uid": "e4", "stage": "s", "dataValues": {"d": "x"}}]}
    key, names = canonical(job, "engine")
    renumbered = {**job, "id": "j99", "enrollment": {**job["enrollment"], "uid": "n40"},
                  "events": [{**job["events"][0], "uid": "e41"}]}
    assert canonical(renumbered, "engine")[0] == key
    assert names == {"n3": "N", "e4": "E0"}
    assert canonical({**job, "today": "2026-01-01"}, "engine")[0] != key
    assert canonical({**job, "enrollment": {**job["enrollment"], "attributes": {"a": "1981"}}}, "engine")[0] != key
    assert canonical(job, "another engine")[0] != key
    answer = {"id": "j7", "ok": True, "effects": [{"trackerObjectUid": "e4", "type": "SHOWWARNING"}]}
    kept = renamed(answer, names, "")
    back = renamed(kept, {v: k for k, v in names.items()}, "j99")
    assert kept["effects"][0]["trackerObjectUid"] == "E0"
    assert back == {**answer, "id": "j99"}
    assert keepable(answer)
    assert not keepable({**answer, "effects": [{"type": "ERROR"}]})
    assert not keepable({"ok": False, "effects": []})


@needs_engines
def test_a_second_validation_sends_nothing_and_finds_the_same(roster_xlsx: Path, sent: list[dict[str, Any]]) -> None:
    store = DictStore()
    first = validate_roster(roster_xlsx, today=DAY, verdicts=store)
    judged = len(sent)
    assert judged > 300 and len(store.kept) == judged
    sent.clear()
    second = validate_roster(roster_xlsx, today=DAY, verdicts=store)
    assert sent == []
    assert _found(second) == _found(first) == _found(validate_roster(roster_xlsx, today=DAY))
    sent.clear()
    validate_roster(roster_xlsx, today=DAY + timedelta(days=1), verdicts=store)
    assert len(sent) == judged  # another day: everything judged again, the old day dropped
    assert {day for day, _ in store.kept.values()} == {(DAY + timedelta(days=1)).isoformat()}


@needs_engines
@pytest.mark.parametrize("built", [b for _, b in PLANS[:6]], ids=[n for n, _ in PLANS[:6]])
def test_kept_answers_give_the_rules_findings_on_renumbered_rows(built: Any, tmp_path: Path,
                                                                  sent: list[dict[str, Any]]) -> None:
    day = date.fromisoformat(built.today)
    path = tmp_path / "rules.xlsx"
    write_roster(built.contract, path, lang="en", rows=built.rows)
    store = DictStore()
    fresh = validate_roster(path, today=day, lang="en", verdicts=store)
    assert any(f.code.startswith("rule-") for f in fresh.findings)
    # The members in another order: the roster numbers its records afresh, the answers still fit.
    reordered = tmp_path / "reordered.xlsx"
    write_roster(built.contract, reordered, lang="en",
                 rows={k: list(reversed(v)) if k == "members" else v for k, v in built.rows.items()})
    expected = sorted((f.code, f.column, f.message) for f in validate_roster(reordered, today=day, lang="en").findings)
    sent.clear()
    kept = validate_roster(reordered, today=day, lang="en", verdicts=store)
    assert sorted((f.code, f.column, f.message) for f in kept.findings) == expected
    assert sent == []


@needs_engines
def test_the_ledger_keeps_one_days_answers(tmp_path: Path, roster_xlsx: Path, sent: list[dict[str, Any]]) -> None:
    with Ledger(tmp_path / "HP01.sqlite", group="HP01", server="http://x") as ledger:
        validate_roster(roster_xlsx, today=DAY, verdicts=ledger)
        judged = len(sent)
        sent.clear()
        validate_roster(roster_xlsx, today=DAY, verdicts=ledger)
        assert sent == [] and judged > 0
    with Ledger(tmp_path / "HP01.sqlite", group="HP01", server="http://x") as ledger:
        assert len(ledger.verdicts([k for k in _keys(ledger)])) == judged


def _keys(ledger: Ledger) -> list[str]:
    assert ledger.db is not None
    return [k for (k,) in ledger.db.execute("SELECT key FROM verdicts")]


@needs_engines
def test_the_command_keeps_answers_in_a_private_file_unless_fresh(roster_xlsx: Path, sent: list[dict[str, Any]],
                                                                  tmp_path: Path) -> None:
    from click.testing import CliRunner

    from scdi.cli.main import cli
    from scdi.connector.roster.verdicts import default_verdict_file

    def validate(*extra: str) -> str:
        result = CliRunner().invoke(cli, ["roster", "validate", str(roster_xlsx), "--json", "--today",
                                          DAY.isoformat(), *extra], catch_exceptions=False)
        return result.output

    first = validate()
    judged = len(sent)
    path = default_verdict_file()
    assert judged > 0 and path.is_file() and path.stat().st_mode & 0o077 == 0
    assert path.is_relative_to(tmp_path.parent)  # the test's own data folder (tests/conftest.py)
    sent.clear()
    assert validate() == first and sent == []
    assert validate("--fresh") == first and len(sent) == judged


def test_a_damaged_file_starts_again_empty(tmp_path: Path) -> None:
    from scdi.connector.roster.verdicts import VerdictFile

    path = tmp_path / "v" / "verdicts.sqlite"
    path.parent.mkdir()
    path.write_bytes(b"not a database at all" * 100)
    with VerdictFile(path) as store:
        store.keep_verdicts("2025-12-31", [("k", "{}")])
        assert store.verdicts(["k", "other"]) == {"k": "{}"}
        store.keep_verdicts("2026-01-01", [("k2", "[]")])
        assert store.verdicts(["k", "k2"]) == {"k2": "[]"}
