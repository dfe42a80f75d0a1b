"""A complete WHO package (dhis2-metadata/HIV_PREV, built for DHIS2 2.41.6) imports, re-imports
unchanged, and comes back out of GET /api/metadata with everything it contained."""

from __future__ import annotations

import json

import requests

from tests.sandbox.helpers import ADMIN, DATA, post_metadata

PACKAGE = DATA / "who" / "HIV_PREV_COMPLETE_metadata.json"
SERVER_KEYS = {"lastUpdated", "created", "lastUpdatedBy", "createdBy", "access", "href",
               "displayName", "displayShortName", "displayDescription", "displayFormName",
               "favorite", "favorites", "user"}


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in SERVER_KEYS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def test_who_hiv_prevention_package(sandbox_factory) -> None:
    running = sandbox_factory(version="2.41")
    package = json.loads(PACKAGE.read_text(encoding="utf-8"))
    total = sum(len(v) for k, v in package.items() if isinstance(v, list))
    validate = post_metadata(running.url, package, importMode="VALIDATE")
    assert validate.status_code == 200, validate.text[:2000]
    assert validate.json()["response"]["stats"]["total"] == total
    first = post_metadata(running.url, package)
    assert first.status_code == 200
    second = post_metadata(running.url, package).json()["response"]["stats"]
    assert second["updated"] == second["total"] == total
    exported = requests.get(f"{running.url}/api/metadata", auth=ADMIN, timeout=120).json()
    for plural in ("visualizations", "maps", "programRules", "programRuleActions",
                   "aggregateDataExchanges", "indicators", "optionSets"):
        stored = {o["id"]: _strip(o) for o in exported[plural]}
        for sent in package[plural]:
            got = stored[sent["id"]]
            lost = {k for k, v in _strip(sent).items() if got.get(k) != v}
            assert not lost, (plural, sent["id"], lost)
