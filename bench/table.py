"""The last results (bench/results/*.json) as the README's table.

    python -m bench.table            # print it
    python -m bench.table --write    # replace the table in README.md (between its markers)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.common import RESULTS

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- bench results -->", "<!-- /bench results -->"
ORDER = ("push_requests", "incremental", "connector_cost", "memory", "scale_out", "metadata_deploy")


def _results() -> list[dict[str, Any]]:
    found = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(RESULTS.glob("*.json"))}
    return [found[name] for name in (*ORDER, *sorted(set(found) - set(ORDER))) if name in found]


def table() -> str:
    lines = ["| bench | measured | target | result | scale | date | machine |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for result in _results():
        m = result["machine"]
        where = f"{m['cpus']} CPUs, Python {m['python']}, {m['platform']}"
        for c in result["checks"]:
            figure = str(c["figure"]).replace("|", "/")
            lines.append(f"| {c['name']} | {figure} | {c['target']} | {c['result']} | {result['scale']} | "
                         f"{result['date'][:10]} | {where} |")
    return "\n".join(lines)


def write() -> None:
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{table()}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    if args.write:
        write()
    else:
        print(table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
