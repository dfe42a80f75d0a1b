"""Roster validation against the raw calamine read of the same file: prints the ratio.

    python -m bench.roster_validate                  # 20,000 members, a year of records
    python -m bench.roster_validate --scale medium   # 5,000 members
    python -m bench.roster_validate --scale small --no-engines

The roster comes from the seeded generator (`scdi.connector.roster.synthetic`, the bench scale's
`roster_members`) and is written once into `--cache` (default: the system's temp folder), so a
second run measures only the reads. The raw read opens the workbook with python-calamine and
walks every row of every sheet, which is the least any validation must do; the goal is
validate ≤ 3 × raw, with DHIS2's rule engine judging the package's program rules.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import SCALES, TODAY, check, peak_rss_mib, raw_read, save, scale_arg, timed
from scdi.connector.roster.contract import load_contract
from scdi.connector.roster.synthetic import make_roster, write_xlsx
from scdi.connector.roster.validate import validate_roster
from scdi.connector.roster.verdicts import VerdictFile

RATIO = 3.0


def roster_file(members: int, seed: int, cache: Path) -> Path:
    contract = load_contract()
    path = cache / f"scdi-bench-roster-{members}-{seed}-{contract.package.version}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        data = make_roster(contract, members=members, seed=seed)
        write_xlsx(data, contract, path)
        print(f"wrote {path.name}: {data.count():,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def measure(scale: str, seed: int, *, engines: bool = True,
            cache: Path | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    members = SCALES[scale].roster_members
    path = roster_file(members, seed, cache or Path(tempfile.gettempdir()))
    raw_read(path)  # warm the file cache
    rows, raw = timed(lambda: raw_read(path))
    with tempfile.TemporaryDirectory() as kept, VerdictFile(Path(kept) / "verdicts.sqlite") as store:
        # As `scdi roster validate` runs: the engine's answers kept for the day, then the same
        # file validated again (after a fix, say), when only changed records go to the engine.
        report, validate = timed(lambda: validate_roster(path, today=TODAY, engines=engines, verdicts=store))
        again, repeat = timed(lambda: validate_roster(path, today=TODAY, engines=engines, verdicts=store))
    assert again.summary() == report.summary(), "the kept answers changed the findings"
    summary = report.summary()
    ratio = validate / raw
    errors = summary["errors"]
    figures = {"members": members, "rows": rows, "rowsRead": summary["rows"]["read"], "rawSeconds": round(raw, 2),
               "validateSeconds": round(validate, 2), "ratio": round(ratio, 2), "rules": engines,
               "repeatSeconds": round(repeat, 2), "repeatRatio": round(repeat / raw, 2),
               "findings": len(report.findings), "errors": errors, "peakMiB": round(peak_rss_mib())}
    rules = "with" if engines else "without"
    checks = [check(f"roster validate vs calamine read ({rules} program rules)",
                    f"{validate:.1f} s / {raw:.2f} s = {ratio:.2f}× ({rows:,} rows, {members:,} members; "
                    f"{len(report.findings)} findings, {errors} errors)", f"≤ {RATIO:.0f}×",
                    ratio <= RATIO and not errors, ratio),
              check("roster validated again the same day (the engine's answers kept)",
                    f"{repeat:.1f} s / {raw:.2f} s = {repeat / raw:.2f}×", "reported", None, repeat / raw)]
    return figures, checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    scale_arg(parser)
    parser.add_argument("--no-engines", action="store_true", help="leave out the program rules (not saved)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()),
                        help="where the generated roster is kept between runs")
    args = parser.parse_args(argv)
    figures, checks = measure(args.scale, args.seed, engines=not args.no_engines, cache=args.cache)
    # Only the figure with the program rules is the bench's result.
    save("roster_validate", args.scale, figures, checks, enabled=not args.no_save and not args.no_engines)
    return 0 if all(c["result"] != "FAIL" for c in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
