"""Small helpers for sandbox tests (HTTP against a RunningSandbox, e2e data files)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

ADMIN = ("admin", "district")
DATA = Path(__file__).parent / "data"


def e2e_file(version: str, name: str) -> dict[str, Any]:
    """dhis2-core's e2e setup files (dhis-2/dhis-test-e2e/src/test/resources/setup/) at
    tag 2.41.9 or 2.42.5."""
    data: dict[str, Any] = json.loads((DATA / "dhis2_e2e" / version / f"{name}.json")
                                      .read_text(encoding="utf-8"))
    return data


def post_metadata(url: str, payload: dict[str, Any], auth: tuple[str, str] = ADMIN,
                  **params: str) -> requests.Response:
    return requests.post(f"{url}/api/metadata", json=payload, params=params, auth=auth,
                         timeout=60)


def e2e_setup(url: str, version: str) -> None:
    """MetadataSetupExtension's order: userGroups, metadata (twice), tracker metadata,
    userRoles, users; each must answer OK."""
    for name in ("userGroups", "metadata", "metadata", "tracker_metadata", "userRoles",
                 "users"):
        response = post_metadata(url, e2e_file(version, name))
        assert response.status_code == 200, (name, response.text[:2000])


def object_errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for t in body["response"]["typeReports"] for o in t["objectReports"]
            for e in o["errorReports"]]
