"""Peak memory of a push plus a pull at 200,000 events against the same at 20,000 events.

    python -m bench.memory                        # 20,000 and 200,000 events
    python -m bench.memory --scale small

The sandbox runs in this process; each size's push (the roster's first sync) and pull (into a
new file, from a fresh state folder, so every record is read) run in a child process of their
own, whose peak RSS (`ru_maxrss`) is the figure, so the sandbox's memory is not counted.
Target: large ≤ 1.3 × small.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bench.common import SCALES, TODAY, check, peak_rss_mib, registry_rows, save, scale_arg, start_sandbox
from bench.network import counts, make_network, write_network
from scdi.connector.roster.contract import load_contract

RATIO = 1.3
EVENTS_PER_MEMBER = 12  # the network: 240,000 events for 20,000 members


def child(url: str, group: str, roster: Path, state: Path) -> dict[str, Any]:
    from scdi.connector.client import Dhis2Client
    from scdi.connector.config import ServerSettings
    from scdi.connector.sync.engine import run

    settings = ServerSettings(base_url=url, username="admin", password=SecretStr("district"))
    client = Dhis2Client(settings)
    started = time.perf_counter()
    pushed = run(client, roster, group, "push", state_dir=state / "push", today=TODAY)
    middle = time.perf_counter()
    pulled = run(client, roster.with_name(f"{group}-pulled.xlsx"), group, "pull", state_dir=state / "pull",
                 today=TODAY)
    ended = time.perf_counter()
    client.close()
    return {"peakMiB": round(peak_rss_mib(), 1), "pushSeconds": round(middle - started, 1),
            "pullSeconds": round(ended - middle, 1), "pushed": pushed.summary()["records"],
            "pulled": pulled.summary()["records"],
            "errors": pushed.summary()["errors"] + pulled.summary()["errors"]}


def measure(scale: str, seed: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    sizes = SCALES[scale].memory_events
    codes = [f"MEM-{n + 1}" for n in range(len(sizes))]
    bench = start_sandbox(groups=registry_rows(codes))
    contract = load_contract()
    runs: dict[str, Any] = {}
    try:
        for code, events in zip(codes, sizes, strict=True):
            network = make_network(contract, groups=1, members=events // EVENTS_PER_MEMBER, events=events,
                                   seed=seed, codes=[code])
            made = counts(network).as_dict()
            [roster] = write_network(network, contract, bench.folder / "rosters")
            del network
            out = subprocess.run([sys.executable, "-m", "bench.memory", "--child", bench.url, code, str(roster),
                                  str(bench.folder / f"state-{code}")], capture_output=True, text=True,
                                 check=True, cwd=Path(__file__).resolve().parent.parent)
            runs[str(events)] = {"network": made, **json.loads(out.stdout.strip().splitlines()[-1])}
    finally:
        bench.stop()
    small, large = (runs[str(n)] for n in sizes)
    ratio = large["peakMiB"] / small["peakMiB"]
    errors = small["errors"] + large["errors"]
    figures = {"runs": runs, "ratio": round(ratio, 3)}
    checks = [check(f"peak RSS push+pull {sizes[1]:,} vs {sizes[0]:,} events",
                    f"{large['peakMiB']:.0f} MiB / {small['peakMiB']:.0f} MiB = {ratio:.2f}×", f"≤ {RATIO}×",
                    ratio <= RATIO and errors == 0, ratio)]
    return figures, checks


def main(argv: list[str] | None = None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--child":
        url, group, roster, state = sys.argv[2:6]
        print(json.dumps(child(url, group, Path(roster), Path(state))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    scale_arg(parser)
    args = parser.parse_args(argv)
    figures, checks = measure(args.scale, args.seed)
    save("memory", args.scale, figures, checks, enabled=not args.no_save)
    return 0 if all(c["result"] != "FAIL" for c in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
