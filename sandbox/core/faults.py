"""Fault injection for reliability tests (not a DHIS2 behaviour; a test control).

A fault answers instead of DHIS2 (503, 429 + Retry-After), cuts the connection with a TCP
reset, holds the request past the client's timeout, or lets the request commit and then cuts
the connection before the answer ("drop": the write happened, the client never saw it).
Every fault is bounded: `count` injections (default 1) and/or `seconds` of life; a
rate-based fault without either lives 300 s at most. `reset()` clears them all.

Spec over HTTP (`POST /__sandbox__/faults`, a JSON object or list of objects):
  {"kind": "503"|"429"|"reset"|"delay"|"drop", "count": 3, "rate": 0.2, "seconds": 60,
   "method": "POST", "path": "/api/tracker", "retry_after": 2, "delay": 30, "seed": 1}
Spec on the command line (`--faults`): faults separated by ';', fields by ',':
  "503:count=2,path=/api/metadata;reset:rate=0.1,seconds=600"
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any

KINDS = ("503", "429", "reset", "delay", "drop")
MAX_RATE_LIFETIME = 300.0


class FaultSpecError(ValueError):
    pass


@dataclass
class Fault:
    kind: str
    count: int | None = 1
    rate: float | None = None
    seconds: float | None = None
    method: str | None = None
    path: str | None = None
    retry_after: int = 1
    delay: float = 30.0
    seed: int | None = None
    created: float = field(default_factory=time.monotonic)
    injected: int = 0
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise FaultSpecError(f"unknown fault kind {self.kind!r}; expected one of {KINDS}")
        if self.rate is not None and not 0 < self.rate <= 1:
            raise FaultSpecError("rate must be in (0, 1]")
        if self.rate is not None and self.count == 1 and self.seconds is None:
            # a rate with no explicit bound: bounded by time, not by a single hit
            self.count = None
        if self.count is None and self.seconds is None:
            self.seconds = MAX_RATE_LIFETIME
        if self.count is not None and self.count < 1:
            raise FaultSpecError("count must be >= 1")
        if self.method:
            self.method = self.method.upper()
        self._random = random.Random(self.seed)  # noqa: S311 - reproducible test faults

    def expired(self, now: float) -> bool:
        if self.count is not None and self.injected >= self.count:
            return True
        return self.seconds is not None and now - self.created > self.seconds

    def matches(self, method: str, path: str) -> bool:
        if self.method and method.upper() != self.method:
            return False
        return not (self.path and not path.startswith(self.path))

    def describe(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in (
            "kind", "count", "rate", "seconds", "method", "path", "retry_after", "delay",
            "injected")}


def from_dict(data: dict[str, Any]) -> Fault:
    if not isinstance(data, dict):
        raise FaultSpecError("a fault is a JSON object")
    allowed = {"kind", "count", "rate", "seconds", "method", "path", "retry_after",
               "delay", "seed"}
    unknown = set(data) - allowed
    if unknown:
        raise FaultSpecError(f"unknown fault fields: {sorted(unknown)}")
    try:
        return Fault(
            kind=str(data["kind"]),
            count=None if data.get("count") is None and "rate" in data
            else int(data.get("count", 1)),
            rate=float(data["rate"]) if data.get("rate") is not None else None,
            seconds=float(data["seconds"]) if data.get("seconds") is not None else None,
            method=data.get("method"),
            path=data.get("path"),
            retry_after=int(data.get("retry_after", 1)),
            delay=float(data.get("delay", 30.0)),
            seed=data.get("seed"),
        )
    except KeyError:
        raise FaultSpecError("a fault needs a 'kind'") from None
    except (TypeError, ValueError) as exc:
        raise FaultSpecError(str(exc)) from None


def parse_cli(spec: str) -> list[Fault]:
    """'503:count=2,path=/api/metadata;reset:rate=0.1' → faults."""
    faults = []
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        kind, _, rest = part.partition(":")
        data: dict[str, Any] = {"kind": kind.strip()}
        for item in filter(None, (i.strip() for i in rest.split(","))):
            key, sep, value = item.partition("=")
            if not sep:
                raise FaultSpecError(f"expected key=value, got {item!r}")
            data[key.strip()] = value.strip()
        faults.append(from_dict(data))
    return faults


class FaultSet:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        # set on reset so that delayed requests wake up instead of outliving a test
        self.wake = threading.Event()

    def add(self, faults: list[Fault]) -> None:
        with self._lock:
            self._faults.extend(faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
        self.wake.set()
        self.wake = threading.Event()

    def active(self) -> list[dict[str, Any]]:
        now = time.monotonic()
        with self._lock:
            self._faults = [f for f in self._faults if not f.expired(now)]
            return [f.describe() for f in self._faults]

    def pick(self, method: str, path: str) -> Fault | None:
        """The fault to inject for this request (consumes one of its injections), or None."""
        now = time.monotonic()
        with self._lock:
            self._faults = [f for f in self._faults if not f.expired(now)]
            for fault in self._faults:
                if not fault.matches(method, path):
                    continue
                if fault.rate is not None and fault._random.random() >= fault.rate:
                    continue
                fault.injected += 1
                return fault
        return None


def reset_connection(environ: dict[str, Any]) -> None:
    """Abort the TCP connection with an RST (SO_LINGER 0, then close the descriptor).

    The socket object stays referenced by werkzeug's request handler; detaching its file
    descriptor before closing makes werkzeug's later writes fail quietly instead of
    writing to a reused descriptor.
    """
    sock = environ.get("werkzeug.socket")
    if sock is None:
        return
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        fd = sock.detach()
        socket.close(fd)
    except OSError:
        pass
