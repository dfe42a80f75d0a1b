"""`sync_all` over the network's 67 rosters, 1, 2 and 4 groups at a time.

    python -m bench.scale_out                     # 67 groups, 20,000 members, 240,000 events
    python -m bench.scale_out --scale medium      # 67 groups, 3,350 members, 40,000 events

Each setting starts from a fresh sandbox (package deployed, the groups provisioned) and a copy
of the rosters, so every run is the network's first sync. The speed-up is the 1-at-a-time wall
time over each setting's; the sandbox's share is the time its handlers and jobs spent (added up
over its threads) over the groups' own sync times added up, so the connector's cost is the rest.
The sandbox shares this process, and Python threads share one interpreter lock, so the
speed-up is bounded by the machine's cores and that lock: it is reported, not targeted.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import SCALES, TODAY, check, group_codes, registry_rows, run_bench, start_sandbox
from bench.network import counts, make_network, write_network
from scdi.connector.roster.contract import load_contract
from scdi.connector.sync.run import sync_all

JOBS = (1, 2, 4)


def one_run(jobs: int, source: Path, codes: list[str]) -> dict[str, Any]:
    bench = start_sandbox(groups=registry_rows(codes))
    try:
        folder = bench.folder / "rosters"
        shutil.copytree(source, folder)  # the sync writes UIDs into the files: each run gets its own
        bench.clear_log()
        started = time.perf_counter()
        report = sync_all(bench.client, folder, jobs=jobs, state_dir=bench.folder / "state", today=TODAY)
        wall = time.perf_counter() - started
        spent = sum(float(g.get("seconds") or 0) for g in report.groups)
        return {"wallSeconds": round(wall, 1), "groupSeconds": round(spent, 1),
                "sandboxSeconds": round(bench.clock.seconds, 1),
                "sandboxShare": round(bench.clock.seconds / spent, 3) if spent else None,
                "failed": report.total["failed"], "writes": report.total["writes"],
                "records": sum(report.total["counts"].values())}
    finally:
        bench.stop()


def measure(scale: str, seed: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    preset = SCALES[scale]
    codes = group_codes(preset.groups)
    contract = load_contract()
    network = make_network(contract, groups=preset.groups, members=preset.members, events=preset.events,
                           seed=seed, codes=codes)
    made = counts(network).as_dict()
    source = Path(tempfile.mkdtemp(prefix="scdi-bench-network-"))
    try:
        write_network(network, contract, source)
        del network
        runs = {str(jobs): one_run(jobs, source, codes) for jobs in JOBS}
    finally:
        shutil.rmtree(source, ignore_errors=True)
    one = runs["1"]["wallSeconds"]
    for jobs in JOBS:
        runs[str(jobs)]["speedUp"] = round(one / runs[str(jobs)]["wallSeconds"], 2)
    failed = sum(r["failed"] for r in runs.values())
    figures = {"network": made, "runs": runs}
    line = " · ".join(f"jobs {j}: {runs[str(j)]['wallSeconds']:.0f} s, ×{runs[str(j)]['speedUp']:.2f}, "
                      f"sandbox {runs[str(j)]['sandboxShare']:.0%}" for j in JOBS)
    checks = [check("sync-all speed-up", line, "reported", None if not failed else False,
                    runs[str(JOBS[-1])]["speedUp"])]
    return figures, checks


def main(argv: list[str] | None = None) -> int:
    return run_bench("scale_out", __doc__, measure, argv)


if __name__ == "__main__":
    raise SystemExit(main())
