"""Validating and planning a 20,000-member roster against python-calamine's read of the file.

    python -m bench.connector_cost                # 20,000 members, 240,000 events, one group
    python -m bench.connector_cost --scale small

The raw read opens the workbook with python-calamine and walks every row of every sheet (the
least any validation must do, as in `bench.roster_validate`). The plan is the sync engine's
dry run of the roster against a sandbox where the group is provisioned and has no records yet:
validation with the program rules, the file's rows into the ledger, the (empty) server read,
and a plan line per row; nothing is written anywhere. Target: plan ≤ 3 × raw.
"""

from __future__ import annotations

from typing import Any

from bench.common import SCALES, TODAY, check, raw_read, registry_rows, run_bench, start_sandbox, timed
from bench.network import counts, make_network, write_network
from scdi.connector.roster.contract import load_contract
from scdi.connector.roster.validate import validate_roster
from scdi.connector.sync.engine import run

RATIO = 3.0
CODE = "COST-1"


def measure(scale: str, seed: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    preset = SCALES[scale]
    members = preset.roster_members
    events = members * preset.events // preset.members
    bench = start_sandbox(groups=registry_rows([CODE]))
    try:
        contract = load_contract()
        network = make_network(contract, groups=1, members=members, events=events, seed=seed, codes=[CODE])
        made = counts(network).as_dict()
        [roster] = write_network(network, contract, bench.folder / "rosters")
        del network
        raw_read(roster)  # warm the file cache
        rows, raw = timed(lambda: raw_read(roster))
        validation, validate = timed(lambda: validate_roster(roster, group=CODE, today=TODAY))
        plan, planned = timed(lambda: run(bench.client, roster, CODE, "sync", dry_run=True,
                                          state_dir=bench.folder / "state", today=TODAY))
    finally:
        bench.stop()
    ratio = planned / raw
    figures = {"network": made, "rows": rows, "rawSeconds": round(raw, 2), "validateSeconds": round(validate, 2),
               "planSeconds": round(planned, 2), "validateRatio": round(validate / raw, 2), "ratio": round(ratio, 2),
               "findings": len(validation.findings), "planned": plan.summary()["records"]}
    checks = [
        check("validate + plan vs calamine read", f"{planned:.1f} s / {raw:.2f} s = {ratio:.2f}× "
              f"({rows:,} rows; validate alone {validate / raw:.2f}×)", f"≤ {RATIO:.0f}×",
              ratio <= RATIO and not validation.findings, ratio),
    ]
    return figures, checks


def main(argv: list[str] | None = None) -> int:
    return run_bench("connector_cost", __doc__, measure, argv)


if __name__ == "__main__":
    raise SystemExit(main())
