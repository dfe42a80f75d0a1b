"""What every bench shares: scales, a sandbox with the package and the network's groups, a
request counter, and the verdict line and JSON result each bench ends with.

The sandbox runs in this process (a server thread), as the sync tests run it; its handler time
is measured by wrapping its WSGI app, and its async jobs' time (tracker imports) by wrapping
its job table, so a bench can tell the sandbox's share from the connector's own.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import platform
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import requests
from pydantic import SecretStr

from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.metadata.deploy import deploy_source
from scdi.connector.metadata.source import load_source
from scdi.connector.provision.columns import COLUMNS
from scdi.connector.provision.run import provision

TODAY = date(2025, 12, 31)
RESULTS = Path(__file__).parent / "results"
TREE = Path(__file__).resolve().parent.parent / "sandbox" / "data" / "vn_tree_current.json"


@dataclass(frozen=True)
class Scale:
    """Sizes of one run: `full` is the issue's, `small` a quick run for the CI smoke test."""

    name: str
    groups: int  # the network
    members: int
    events: int
    push_members: int  # the requests and incremental benches
    push_events: int
    memory_events: tuple[int, int]  # (small, large) for the memory bench
    roster_members: int  # the connector-cost bench


SCALES = {
    "full": Scale("full", 67, 20_000, 240_000, 10_000, 120_000, (20_000, 200_000), 20_000),
    "medium": Scale("medium", 67, 3_350, 40_000, 2_000, 24_000, (4_000, 40_000), 5_000),
    "small": Scale("small", 4, 200, 2_400, 100, 1_200, (400, 4_000), 300),
}


def scale_arg(parser: Any) -> None:
    parser.add_argument("--scale", choices=sorted(SCALES), default="full",
                        help="sizes: full (the issue's), medium, or small (a quick smoke run)")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--no-save", action="store_true", help="print only; leave bench/results/ as it is")


def run_bench(name: str, doc: str | None, measure: Callable[[str, int], tuple[Any, list[dict[str, Any]]]],
              argv: list[str] | None = None) -> int:
    """The `main` of every bench: its scale flags, the measurement, the saved result; exit code 1
    when a target is missed."""
    import argparse

    parser = argparse.ArgumentParser(description=(doc or name).splitlines()[0])
    scale_arg(parser)
    args = parser.parse_args(argv)
    figures, checks = measure(args.scale, args.seed)
    save(name, args.scale, figures, checks, enabled=not args.no_save)
    return 0 if all(c["result"] != "FAIL" for c in checks) else 1


def quiet() -> None:
    """The sandbox's per-request access log would drown the figures."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def machine() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "processor": platform.machine()}


def peak_rss_mib() -> float:
    # ru_maxrss is KiB on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def verdict(name: str, figure: str, target: str, passed: bool | None) -> str:
    mark = "PASS" if passed else ("FAIL" if passed is not None else "INFO")
    line = f"[{mark}] {name}: {figure} (target {target})"
    print(line, flush=True)
    return mark


def save(name: str, scale: str, figures: dict[str, Any], checks: list[dict[str, Any]], *,
         enabled: bool = True) -> dict[str, Any]:
    result = {"bench": name, "date": datetime.now(UTC).isoformat(timespec="seconds"),
              "scale": scale, "machine": machine(), "figures": figures, "checks": checks}
    if enabled:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                                              encoding="utf-8")
    return result


def check(name: str, figure: str, target: str, passed: bool | None, value: float | None = None) -> dict[str, Any]:
    return {"name": name, "figure": figure, "target": target, "value": value,
            "result": verdict(name, figure, target, passed)}


# --- the sandbox ---------------------------------------------------------------------------


class ServerClock:
    """WSGI middleware adding up the time the sandbox spends answering (across its threads), and
    its async jobs' time (`time_jobs`)."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.seconds = 0.0
        self.requests = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        try:
            # The body is built here (the sandbox answers with whole bodies), so it is timed too.
            return list(self.app(environ, start_response))
        finally:
            spent = time.perf_counter() - started
            with self._lock:
                self.seconds += spent
                self.requests += 1

    def reset(self) -> None:
        with self._lock:
            self.seconds, self.requests = 0.0, 0

    def add(self, seconds: float) -> None:
        with self._lock:
            self.seconds += seconds

    def time_jobs(self, jobs: Any) -> None:
        """Count the sandbox's async jobs too (a tracker import runs on a job thread after its
        request has been answered): `jobs` is the app's `JobTable`."""
        start = jobs.start

        def timed_start(job: Any, work: Callable[[Any], None]) -> None:
            def timed_work(running: Any) -> None:
                began = time.perf_counter()
                try:
                    work(running)
                finally:
                    self.add(time.perf_counter() - began)

            start(job, timed_work)

        jobs.start = timed_start


@dataclass
class Bench:
    sandbox: Any  # scdi.sandbox.server.RunningSandbox
    client: Dhis2Client
    clock: ServerClock
    folder: Path
    groups: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return str(self.sandbox.url)

    def request_log(self) -> list[dict[str, Any]]:
        """The sandbox's log: method, path, status and time of each request (no bodies)."""
        answer = requests.get(f"{self.url}/__sandbox__/requests", timeout=30).json()
        return list(answer["requests"])

    def clear_log(self) -> None:
        requests.delete(f"{self.url}/__sandbox__/requests", timeout=30)
        self.clock.reset()

    def new_client(self) -> Dhis2Client:
        return Dhis2Client(self.client.settings)

    def stop(self) -> None:
        self.client.close()
        self.sandbox.stop()
        shutil.rmtree(self.folder, ignore_errors=True)  # rosters and ledgers of a finished bench


def start_sandbox(*, groups: Iterable[tuple[str, str, str]] = (), deploy: bool = True) -> Bench:
    """A sandbox (2.42, current tree) with the package deployed and `groups` provisioned."""
    from scdi.sandbox.server import start

    quiet()
    running = start(version="2.42", tree="current")
    clock = ServerClock(running.server.app)
    clock.time_jobs(running.app.jobs)
    running.server.app = clock
    settings = ServerSettings(base_url=running.url, username="admin",
                              password=SecretStr("district"))
    client = Dhis2Client(settings)
    bench = Bench(running, client, clock, Path(tempfile.mkdtemp(prefix="scdi-bench-")))
    if deploy:
        deploy_source(client, load_source(), validate_first=False)
    rows = list(groups)
    if rows:
        provision_groups(bench, rows)
    return bench


def provision_groups(bench: Bench, groups: list[tuple[str, str, str]]) -> None:
    """Registry rows (code, province code, commune code) in the columns of the provisioning step."""
    path = bench.folder / "registry.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([c.vi for c in COLUMNS])
        for n, (code, province, commune) in enumerate(groups):
            writer.writerow([code, f"Câu lạc bộ thử nghiệm {n + 1}", "Câu lạc bộ", province, "", commune,
                             "PCTNXH", "01/01/2015", "", "", "", "Có"])
    report = provision(bench.client, path, today=TODAY)
    if report.plan.counts.get("invalid"):
        raise SystemExit(f"the bench's registry has {report.plan.counts['invalid']} invalid row(s)")
    bench.groups.extend(code for code, _, _ in groups)


def communes() -> list[tuple[str, str]]:
    """(province code, commune code) of every commune in the sandbox's current tree."""
    units = json.loads(TREE.read_text(encoding="utf-8"))["organisationUnits"]
    parents = {u["code"]: u.get("parent") for u in units}
    return [(u["parent"], u["code"]) for u in units if u.get("parent") and parents.get(u["parent"])]


def group_codes(count: int) -> list[str]:
    return [f"SYN-{n + 1:03d}" for n in range(count)]


def registry_rows(codes: list[str]) -> list[tuple[str, str, str]]:
    places = communes()
    return [(code, *places[n % len(places)]) for n, code in enumerate(codes)]


# --- counting the connector's requests -----------------------------------------------------


@dataclass
class Traffic:
    """Requests and bytes through one client's session (request bodies and response bodies)."""

    requests: int = 0
    writes: int = 0
    sent: int = 0
    received: int = 0
    largest_request: int = 0
    by_method: dict[str, int] = field(default_factory=dict)

    def total(self) -> int:
        return self.sent + self.received

    def as_dict(self) -> dict[str, Any]:
        return {"requests": self.requests, "writes": self.writes, "bytesSent": self.sent,
                "bytesReceived": self.received, "bytes": self.total(), "largestRequest": self.largest_request,
                "byMethod": dict(self.by_method)}


def _body_size(body: Any) -> int:
    if body is None:
        return 0
    return len(body.encode("utf-8")) if isinstance(body, str) else len(body)


class counting:
    """Counts what a client sends and receives through its session's response hook."""

    def __init__(self, client: Dhis2Client) -> None:
        self.session = client._session
        self.traffic = Traffic()

    def _hook(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        request = response.request
        size = _body_size(request.body)
        t = self.traffic
        t.requests += 1
        method = str(request.method)
        t.by_method[method] = t.by_method.get(method, 0) + 1
        if method not in ("GET", "HEAD"):
            t.writes += 1
        t.sent += size
        t.largest_request = max(t.largest_request, size)
        t.received += len(response.content)
        return response

    def __enter__(self) -> Traffic:
        self.session.hooks["response"].append(self._hook)
        return self.traffic

    def __exit__(self, *exc: object) -> None:
        self.session.hooks["response"].remove(self._hook)


def raw_read(path: Path) -> int:
    """Every row of every sheet through python-calamine: the least any validation must do."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    count = 0
    for name in workbook.sheet_names:
        for _ in workbook.get_sheet_by_name(name).iter_rows():
            count += 1
    return count


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    value = work()
    return value, time.perf_counter() - started


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
