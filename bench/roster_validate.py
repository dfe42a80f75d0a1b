"""Roster validation against the raw calamine read of the same file: prints the ratio.

    .venv/bin/python -m bench.roster_validate                 # 20,000 members, a year of records
    .venv/bin/python -m bench.roster_validate --members 2000 --no-engines

The roster comes from the seeded generator (`scdi.connector.roster.synthetic`) and is written once into
`--cache` (default: the system's temp folder), so a second run measures only the reads. The
raw read opens the workbook with python-calamine and walks every row of every sheet, which is
the least any validation must do; the goal is validate ≤ 3 × raw.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from python_calamine import CalamineWorkbook

from scdi.connector.roster.contract import load_contract
from scdi.connector.roster.synthetic import make_roster, write_xlsx
from scdi.connector.roster.validate import validate_roster


def raw_read(path: Path) -> int:
    workbook = CalamineWorkbook.from_path(str(path))
    count = 0
    for name in workbook.sheet_names:
        for _ in workbook.get_sheet_by_name(name).iter_rows():
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--no-engines", action="store_true", help="leave out the program rules")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args(argv)
    contract = load_contract()
    path = args.cache / f"scdi-bench-roster-{args.members}-{args.seed}-{contract.package.version}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        data = make_roster(contract, members=args.members, seed=args.seed)
        write_xlsx(data, contract, path)
        print(f"wrote {path.name}: {data.count():,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    raw_read(path)  # warm the file cache
    started = time.perf_counter()
    rows = raw_read(path)
    raw = time.perf_counter() - started
    started = time.perf_counter()
    report = validate_roster(path, today=date(2025, 12, 31), engines=not args.no_engines)
    validate = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    summary = report.summary()
    print(f"rows {rows:,} · raw calamine read {raw:.2f} s · validate {validate:.2f} s "
          f"({'with' if not args.no_engines else 'without'} program rules) · ratio {validate / raw:.2f}× "
          f"(goal ≤ 3×) · findings {len(report.findings)} · rows read {summary['rows']['read']:,} · "
          f"peak memory {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
