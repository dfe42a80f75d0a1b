"""The implicit-private authority of the ten types whose descriptor sets it. The same at 2.41.9,
2.42.5 and 2.43.1."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN

MANAGER = ("metadata.manager", "district")
VIEWER = ("dashboard.viewer", "district")
DASHBOARD = "org.hisp.dhis.dashboard.Dashboard"
FORBIDDEN = "You don't have the proper permissions to delete this object."
VERSIONS = ["2.41", "2.42", "2.43"]


def _details(username: str) -> str:
    """Object#toString of a UserDetailsImpl (Lombok's hashCode over the username)."""
    h = 0
    for char in username:
        h = (31 * h + ord(char)) & 0xFFFFFFFF
    return f"org.hisp.dhis.user.UserDetailsImpl@{(59 + h) & 0xFFFFFFFF:x}"


def _create(url: str, plural: str, obj: dict[str, Any], auth: tuple[str, str] = ADMIN) -> None:
    answer = requests.post(f"{url}/api/{plural}", json=obj, auth=auth, timeout=20)
    assert answer.status_code == 201, answer.text


def _get(url: str, path: str, auth: tuple[str, str] = ADMIN, **params: str) -> requests.Response:
    return requests.get(f"{url}/api/{path}", params=params, auth=auth, timeout=20)


def _delete(url: str, path: str, auth: tuple[str, str]) -> requests.Response:
    return requests.delete(f"{url}/api/{path}", auth=auth, timeout=20)


def _codes(answer: requests.Response) -> list[str]:
    report = answer.json()["response"]
    if "errorReports" in report:
        return [e["errorCode"] for e in report["errorReports"]]
    return [e["errorCode"] for t in report["typeReports"] for o in t["objectReports"]
            for e in o["errorReports"]]


def _dashboard(uid: str, public: str | None = None) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": uid, "name": f"Bảng {uid}"}
    if public is not None:
        obj["sharing"] = {"public": public}
    return obj


def _visualization(uid: str, public: str) -> dict[str, Any]:
    return {"id": uid, "name": f"Biểu đồ {uid}", "type": "COLUMN", "sharing": {"public": public}}


def _start(sandbox_factory: Any, version: str) -> RunningSandbox:
    running: RunningSandbox = sandbox_factory(version=version)
    return running


@pytest.mark.parametrize("version", VERSIONS)
def test_schemas_report_the_implicit_private_authority(sandbox_factory, version: str) -> None:
    # Schema#isImplicitPrivateAuthority (@JsonProperty), the descriptors' flag
    # (data/schema_registry/<tag>.json, scripts/schema_registry.py)
    url = _start(sandbox_factory, version).url
    schemas = _get(url, "schemas", fields="singular,implicitPrivateAuthority").json()["schemas"]
    assert {s["singular"] for s in schemas if s["implicitPrivateAuthority"]} == {
        "dashboard", "dashboardItem", "eventChart", "eventFilter", "eventReport",
        "eventVisualization", "map", "programStageWorkingList", "trackedEntityInstanceFilter",
        "visualization"}, version
