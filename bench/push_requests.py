"""Requests and bytes of a full push, beside the per-record approach.

    python -m bench.push_requests                 # 10,000 members, 120,000 events, 4 groups
    python -m bench.push_requests --scale small

The connector's requests and bytes (request and response bodies) are counted on its session
during the first sync of the rosters (every record created). The per-record approach sends one
request per tracked entity (its enrollment nested) and one per event: its request count and the
bytes it sends are exact, built from the same objects one per request; what it receives and how
long it takes come from a sample of those requests really sent one by one to the sandbox,
extrapolated. Target: ≤ 1/500 of its requests, no request over 5 MB.
"""

from __future__ import annotations

import time
from typing import Any

from bench.common import check, counting, run_bench
from bench.sync_cost import FullSync, full_sync
from scdi.connector.sync.send import PARAMS

MAX_REQUEST = 5 * 1024 * 1024
RATIO = 500


def per_record_sample(full: FullSync) -> dict[str, Any]:
    """The sample of single-object requests sent one by one (updates now: the records exist)."""
    client = full.bench.new_client()
    try:
        with counting(client) as traffic:
            started = time.perf_counter()
            for body in full.singles.sample:
                client.import_tracker(body, PARAMS)
            seconds = time.perf_counter() - started
    finally:
        client.close()
    sent = max(traffic.requests, 1)
    return {"sampled": len(full.singles.sample), "requests": traffic.requests,
            "receivedPerRequest": traffic.received / sent, "secondsPerRequest": seconds / sent}


def measure(scale: str, seed: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    full = full_sync(scale, seed)
    ours = full.traffic
    singles = full.singles
    sample = per_record_sample(full)
    naive_received = round(sample["receivedPerRequest"] * singles.requests)
    naive = {"requests": singles.requests, "bytesSent": singles.bytes, "bytesReceived": naive_received,
             "bytes": singles.bytes + naive_received, "largestRequest": singles.largest,
             "seconds": round(sample["secondsPerRequest"] * singles.requests, 1),
             "how": "requests and bytes sent exact (the same objects, one per request); bytes received "
                    "and time extrapolated from a sample sent one by one", "sample": sample}
    errors = sum(r.summary()["errors"] for r in full.reports)
    figures = {"network": full.network, "connector": {**ours.as_dict(), "seconds": round(full.seconds, 1),
                                                      "sandboxSeconds": round(full.server_seconds, 1),
                                                      "errors": errors},
               "perRecord": naive}
    share = ours.requests / max(singles.requests, 1)
    checks = [
        check("push requests vs per-record", f"{ours.requests:,} vs {singles.requests:,} = 1/{1 / share:,.0f}",
              f"≤ 1/{RATIO}", share <= 1 / RATIO and errors == 0, share),
        check("largest request", f"{ours.largest_request / 1e6:.2f} MB", "≤ 5 MB",
              ours.largest_request <= MAX_REQUEST, ours.largest_request),
        check("push bytes vs per-record", f"{ours.total() / 1e6:.1f} MB vs {naive['bytes'] / 1e6:.1f} MB; "
              f"{full.seconds:.0f} s vs ~{naive['seconds']:.0f} s", "reported", None,
              ours.total() / max(naive["bytes"], 1)),
    ]
    return figures, checks


def main(argv: list[str] | None = None) -> int:
    return run_bench("push_requests", __doc__, measure, argv)


if __name__ == "__main__":
    raise SystemExit(main())
