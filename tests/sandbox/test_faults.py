"""Fault injection: 503, 429 + Retry-After, TCP reset, delay, apply-then-drop; bounded; reset
clears them; the request log counts what the server saw."""

from __future__ import annotations

import time

import pytest
import requests

from scdi.sandbox.core import faults
from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata

DE = {"id": "deUid000001", "name": "Tuổi", "shortName": "Tuổi", "valueType": "INTEGER",
      "domainType": "TRACKER", "aggregationType": "NONE"}


def _add(url: str, *specs: dict) -> None:
    response = requests.post(f"{url}/__sandbox__/faults", json=list(specs), timeout=10)
    assert response.status_code == 201, response.text


def test_503_on_next_n_requests_then_normal(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    _add(url, {"kind": "503", "count": 2, "path": "/api/me"})
    statuses = [requests.get(f"{url}/api/me", auth=ADMIN, timeout=10).status_code
                for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert requests.get(f"{url}/api/system/info", auth=ADMIN, timeout=10).status_code == 200


def test_429_with_retry_after_only_for_method(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    _add(url, {"kind": "429", "count": 1, "method": "POST", "retry_after": 7})
    assert requests.get(f"{url}/api/me", auth=ADMIN, timeout=10).status_code == 200
    response = post_metadata(url, {"dataElements": [DE]})
    assert response.status_code == 429 and response.headers["Retry-After"] == "7"


def test_reset_connection(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    _add(url, {"kind": "reset", "count": 1})
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{url}/api/me", auth=ADMIN, timeout=10)
    assert requests.get(f"{url}/api/me", auth=ADMIN, timeout=10).status_code == 200


def test_delay_past_client_timeout(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    _add(url, {"kind": "delay", "count": 1, "delay": 3})
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{url}/api/me", auth=ADMIN, timeout=0.5)


def test_apply_then_drop_commits_but_client_sees_nothing(fresh_sandbox: RunningSandbox
                                                         ) -> None:
    url = fresh_sandbox.url
    _add(url, {"kind": "drop", "count": 1, "method": "POST", "path": "/api/metadata"})
    with pytest.raises(requests.exceptions.ConnectionError):
        post_metadata(url, {"dataElements": [DE]})
    stored = requests.get(f"{url}/api/dataElements/deUid000001", auth=ADMIN, timeout=10)
    assert stored.status_code == 200  # the write happened
    log = requests.get(f"{url}/__sandbox__/requests", params={"method": "POST"},
                       timeout=10).json()["requests"]
    assert [(r["path"], r["status"]) for r in log] == [("/api/metadata", "dropped")]


def test_rate_faults_are_time_bounded_and_reset_clears(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    # A second of life: the first request still meets the fault when a busy machine is slow to send it.
    _add(url, {"kind": "503", "rate": 1.0, "seconds": 1.0})
    assert requests.get(f"{url}/api/me", auth=ADMIN, timeout=10).status_code == 503
    time.sleep(1.2)
    assert requests.get(f"{url}/api/me", auth=ADMIN, timeout=10).status_code == 200
    _add(url, {"kind": "503", "rate": 1.0})
    active = requests.get(f"{url}/__sandbox__/faults", timeout=10).json()["faults"]
    assert active and active[0]["seconds"] == faults.MAX_RATE_LIFETIME
    requests.post(f"{url}/__sandbox__/reset", timeout=10)
    assert requests.get(f"{url}/api/me", auth=ADMIN, timeout=10).status_code == 200


def test_bad_spec_400_and_cli_parser() -> None:
    parsed = faults.parse_cli("503:count=2,path=/api/metadata;reset:rate=0.5,seconds=60")
    assert [(f.kind, f.count, f.path, f.rate, f.seconds) for f in parsed] == [
        ("503", 2, "/api/metadata", None, None), ("reset", None, None, 0.5, 60.0)]
    with pytest.raises(faults.FaultSpecError):
        faults.parse_cli("boom:count=1")


def test_startup_faults_from_flag(sandbox_factory) -> None:
    running = sandbox_factory(faults="503:count=1")
    assert requests.get(f"{running.url}/api/me", auth=ADMIN, timeout=10).status_code == 503
    assert requests.get(f"{running.url}/api/me", auth=ADMIN, timeout=10).status_code == 200


def test_request_log_counts_writes(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    post_metadata(url, {"dataElements": [DE]})
    requests.get(f"{url}/api/me", auth=ADMIN, timeout=10)
    log = requests.get(f"{url}/__sandbox__/requests", timeout=10).json()["requests"]
    assert [(r["method"], r["path"], r["status"]) for r in log] == [
        ("POST", "/api/metadata", 200), ("GET", "/api/me", 200)]
