"""A seeded synthetic network: N groups, M members in all, a year of records, about E events.

    python -m bench.network --scale small --out /tmp/network      # 4 groups, 200 members
    python -m bench.network --groups 67 --members 20000 --events 240000 --out /tmp/network

Each group is `make_roster` (the connector's synthetic roster) with its own seed. A generated
group has more attendance than the issue's network (about 21 events a member, where the issue
counts 12), so attendance rows are thinned, seeded, to bring a group's events to its share of
E; every other sheet is kept whole, so the rosters still validate with no finding. Everything
is made up: no real person is behind any row.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.common import SCALES, TODAY, group_codes
from scdi.connector.roster.contract import RosterContract, load_contract
from scdi.connector.roster.synthetic import RosterData, make_roster, write_csv_folder, write_xlsx

THINNED = "attendance"  # the sheet whose rows are dropped to reach the events asked for


@dataclass(frozen=True)
class Counts:
    groups: int
    members: int
    events: int

    def as_dict(self) -> dict[str, int]:
        return {"groups": self.groups, "members": self.members, "events": self.events}


def events_of(data: RosterData) -> int:
    return data.count() - len(data.rows.get("members", []))


def make_group(contract: RosterContract, code: str, *, members: int, events: int | None, seed: int) -> RosterData:
    """One group's roster with `members` members and, when given, at most about `events` events."""
    data = make_roster(contract, members=members, seed=seed, group=code, today=TODAY, year=TODAY.year)
    if events is None:
        return data
    extra = events_of(data) - events
    rows = data.rows.get(THINNED, [])
    if extra > 0 and rows:
        rng = random.Random(seed * 7919 + 1)
        drop = set(rng.sample(range(len(rows)), min(extra, len(rows))))
        data.rows[THINNED] = [row for n, row in enumerate(rows) if n not in drop]
    return data


def shares(total: int, parts: int) -> list[int]:
    base, left = divmod(total, parts)
    return [base + (1 if n < left else 0) for n in range(parts)]


def make_network(contract: RosterContract, *, groups: int, members: int, events: int | None,
                 seed: int = 19, codes: list[str] | None = None) -> list[RosterData]:
    """`groups` rosters sharing `members` and `events` as evenly as they divide."""
    codes = codes or group_codes(groups)
    sizes = shares(members, groups)
    budgets = shares(events, groups) if events is not None else [None] * groups
    return [make_group(contract, code, members=size, events=budget, seed=seed + n)
            for n, (code, size, budget) in enumerate(zip(codes, sizes, budgets, strict=True))]


def counts(network: list[RosterData]) -> Counts:
    return Counts(len(network), sum(len(d.rows.get("members", [])) for d in network),
                  sum(events_of(d) for d in network))


def write_network(network: list[RosterData], contract: RosterContract, folder: Path, *,
                  fmt: str = "xlsx") -> list[Path]:
    """One roster per group, named by its group code (what `sync_all` reads)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for data in network:
        if fmt == "csv":
            paths.append(write_csv_folder(data, contract, folder / data.group))
        else:
            paths.append(write_xlsx(data, contract, folder / f"{data.group}.xlsx"))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--groups", type=int)
    parser.add_argument("--members", type=int)
    parser.add_argument("--events", type=int)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    parser.add_argument("--out", type=Path, help="write one roster per group here")
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    contract = load_contract()
    network = make_network(contract, groups=args.groups or scale.groups, members=args.members or scale.members,
                           events=args.events or scale.events, seed=args.seed)
    made = counts(network)
    print(f"{made.groups} groups · {made.members:,} members · {made.events:,} events", file=sys.stderr)
    if args.out:
        write_network(network, contract, args.out, fmt=args.format)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
