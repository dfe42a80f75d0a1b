"""The full sync both the requests and the incremental benches measure, done once per process.

A few groups' rosters (the network generator's, `push_members` members and `push_events`
events in all) synced for the first time against a sandbox with those groups provisioned: every
record is created. The run's requests and bytes are counted on the client's session; each
tracker write's body is also cut into the objects it carries, so the per-record approach (one
request per tracked entity, its enrollment nested, and one per event) can be sized exactly.
"""

from __future__ import annotations

import atexit
import json
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import requests

from bench.common import SCALES, TODAY, Bench, Traffic, counting, group_codes, registry_rows, start_sandbox
from bench.network import counts, make_network, write_network
from scdi.connector.client import Dhis2Client
from scdi.connector.roster.contract import load_contract
from scdi.connector.sync.engine import SyncReport, run

PUSH_GROUPS = 4
SAMPLE = 200  # objects sent one by one to size the per-record approach's answers


def _dumps(body: Any) -> bytes:
    # What requests sends for `json=`: the standard library's dumps, ASCII-escaped.
    return json.dumps(body, allow_nan=False).encode("utf-8")


@dataclass
class Singles:
    """The objects of the tracker writes, one request each (the per-record approach)."""

    requests: int = 0
    bytes: int = 0
    largest: int = 0
    sample: list[dict[str, Any]] = field(default_factory=list)
    _seen: int = 0

    def add(self, body: dict[str, Any]) -> None:
        for entity in body.get("trackedEntities") or []:
            nested: list[dict[str, Any]] = []
            trimmed = dict(entity)
            enrollments = []
            for enrollment in entity.get("enrollments") or []:
                nested.extend(enrollment.get("events") or [])
                enrollments.append({k: v for k, v in enrollment.items() if k != "events"})
            if enrollments:
                trimmed["enrollments"] = enrollments
            self._one({"trackedEntities": [trimmed]})
            for event in nested:
                self._one({"events": [event]})
        for event in body.get("events") or []:
            self._one({"events": [event]})

    def _one(self, body: dict[str, Any]) -> None:
        size = len(_dumps(body))
        self.requests += 1
        self.bytes += size
        self.largest = max(self.largest, size)
        self._seen += 1
        if len(self.sample) < SAMPLE and self._seen % 97 == 1:  # spread over the run, not its start
            self.sample.append(body)


class capturing:
    def __init__(self, client: Dhis2Client) -> None:
        self.session = client._session
        self.singles = Singles()
        self.bodies: list[bytes | str] = []

    def _hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        request = response.request
        if request.method == "POST" and "/api/tracker" in str(request.url) and request.body:
            self.bodies.append(request.body)  # cut up afterwards, so the run's time is not the bench's
        return response

    def __enter__(self) -> Singles:
        self.session.hooks["response"].append(self._hook)
        return self.singles

    def __exit__(self, *exc: object) -> None:
        self.session.hooks["response"].remove(self._hook)
        for body in self.bodies:
            self.singles.add(json.loads(body))
        self.bodies.clear()


@dataclass
class FullSync:
    bench: Bench
    rosters: list[tuple[str, Path]]
    state: Path
    network: dict[str, int]
    traffic: Traffic
    singles: Singles
    seconds: float
    server_seconds: float
    reports: list[SyncReport]


def sync_each(bench: Bench, rosters: list[tuple[str, Path]], state: Path) -> tuple[list[SyncReport], float]:
    reports = []
    started = time.perf_counter()
    for code, path in rosters:
        reports.append(run(bench.client, path, code, "sync", state_dir=state, today=TODAY))
    return reports, time.perf_counter() - started


@cache
def full_sync(scale_name: str, seed: int = 19) -> FullSync:
    """The first sync of `PUSH_GROUPS` rosters (kept running for the benches that follow)."""
    scale = SCALES[scale_name]
    groups = min(PUSH_GROUPS, scale.groups)
    codes = group_codes(groups)
    bench = start_sandbox(groups=registry_rows(codes))
    atexit.register(bench.stop)  # kept for the benches after this one; stopped when the process ends
    contract = load_contract()
    network = make_network(contract, groups=groups, members=scale.push_members, events=scale.push_events,
                           seed=seed, codes=codes)
    made = counts(network).as_dict()
    paths = write_network(network, contract, bench.folder / "rosters")
    del network
    rosters = list(zip(codes, paths, strict=True))
    state = bench.folder / "state"
    bench.clear_log()
    capture = capturing(bench.client)
    with counting(bench.client) as traffic, capture as singles:
        reports, seconds = sync_each(bench, rosters, state)
        server_seconds = bench.clock.seconds
    return FullSync(bench, rosters, state, made, traffic, singles, seconds, server_seconds, reports)
