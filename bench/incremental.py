"""A re-sync after 1 % of the rows changed, against the full sync before it.

    python -m bench.incremental                   # the push bench's 10,000 members, 120,000 events
    python -m bench.incremental --scale small

After the first sync (`bench.sync_cost`), one cell in 1 % of each roster's rows is changed in
the workbook (`bench.edits`), and the rosters are synced again. Target: ≤ 2 % of the full
sync's bytes and ≤ 5 % of its time.
"""

from __future__ import annotations

from typing import Any

from bench.common import check, counting, run_bench
from bench.edits import change_rows
from bench.sync_cost import full_sync, sync_each
from scdi.connector.roster.contract import load_contract

SHARE = 0.01
BYTES_TARGET, TIME_TARGET = 0.02, 0.05


def measure(scale: str, seed: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    full = full_sync(scale, seed)
    contract = load_contract()
    changed = sum(change_rows(path, contract, SHARE, seed=seed + n) for n, (_, path) in enumerate(full.rosters))
    full.bench.clock.reset()
    with counting(full.bench.client) as traffic:
        reports, seconds = sync_each(full.bench, full.rosters, full.state)
    counts: dict[str, int] = {}
    for report in reports:
        for action, count in report.counts.items():
            counts[action] = counts.get(action, 0) + count
    errors = sum(r.summary()["errors"] for r in reports)
    byte_share = traffic.total() / max(full.traffic.total(), 1)
    time_share = seconds / full.seconds
    figures = {"network": full.network, "rowsChanged": changed,
               "full": {**full.traffic.as_dict(), "seconds": round(full.seconds, 2)},
               "incremental": {**traffic.as_dict(), "seconds": round(seconds, 2),
                               "sandboxSeconds": round(full.bench.clock.seconds, 2), "counts": counts,
                               "errors": errors}}
    updated = counts.get("update", 0)
    checks = [
        check("re-sync bytes vs full", f"{traffic.total() / 1e6:.2f} MB / {full.traffic.total() / 1e6:.1f} MB = "
              f"{byte_share:.2%} ({changed:,} rows changed, {updated:,} updated)", f"≤ {BYTES_TARGET:.0%}",
              byte_share <= BYTES_TARGET and errors == 0, byte_share),
        check("re-sync time vs full", f"{seconds:.1f} s / {full.seconds:.1f} s = {time_share:.2%}",
              f"≤ {TIME_TARGET:.0%}", time_share <= TIME_TARGET, time_share),
    ]
    return figures, checks


def main(argv: list[str] | None = None) -> int:
    return run_bench("incremental", __doc__, measure, argv)


if __name__ == "__main__":
    raise SystemExit(main())
