"""The benches at `--scale small`: the network generator and the push bench run end to end
and print their verdicts (the small scale's ratios are not the targets' sizes, so only the
shape of the result is checked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import network, push_requests
from bench.common import SCALES
from scdi.connector.roster.contract import load_contract


def test_network_is_seeded_and_sized(tmp_path: Path) -> None:
    contract = load_contract()
    first = network.make_network(contract, groups=3, members=60, events=720, seed=5)
    again = network.make_network(contract, groups=3, members=60, events=720, seed=5)
    made = network.counts(first)
    assert (made.groups, made.members) == (3, 60)
    assert made.events <= 800  # about the events asked for: only attendance is thinned
    assert [d.rows for d in first] == [d.rows for d in again]
    paths = network.write_network(first, contract, tmp_path)
    assert [p.name for p in paths] == ["SYN-001.xlsx", "SYN-002.xlsx", "SYN-003.xlsx"]


def test_push_bench_small(capsys: pytest.CaptureFixture[str]) -> None:
    figures, checks = push_requests.measure("small", 19)
    scale = SCALES["small"]
    assert figures["network"]["members"] == scale.push_members
    assert figures["connector"]["errors"] == 0
    assert figures["perRecord"]["requests"] > figures["connector"]["requests"]
    assert {c["result"] for c in checks} <= {"PASS", "FAIL", "INFO"}
    assert "target" in capsys.readouterr().out
