"""Every bench, one after the other: each prints its figure, its target and PASS/FAIL, and
writes bench/results/<name>.json.

    python -m bench                    # the issue's sizes (several minutes a bench)
    python -m bench --scale small      # a quick run
    python -m bench --only memory,metadata_deploy

The push and incremental benches share one full sync (`bench.sync_cost`), done once.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from bench.common import scale_arg

BENCHES = ("push_requests", "incremental", "connector_cost", "roster_validate", "memory", "scale_out",
           "metadata_deploy")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    scale_arg(parser)
    parser.add_argument("--only", help=f"comma-separated, of: {', '.join(BENCHES)}")
    args = parser.parse_args(argv)
    chosen = [b for b in BENCHES if not args.only or b in args.only.split(",")]
    failed = []
    for name in chosen:
        print(f"--- {name}", flush=True)
        module = importlib.import_module(f"bench.{name}")
        rest = ["--scale", args.scale, "--seed", str(args.seed), *(["--no-save"] if args.no_save else [])]
        if module.main(rest) != 0:
            failed.append(name)
    print(f"--- {len(chosen) - len(failed)} of {len(chosen)} benches met their targets"
          + (f"; missed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
