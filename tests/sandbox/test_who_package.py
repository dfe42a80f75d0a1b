"""Third-party packages import, re-import unchanged as updates, and come back out of
GET /api/metadata with everything they contained.

- A large synthetic package shaped like the WHO/dhis2-metadata ones (third_party_package.py):
  always.
- A real WHO package (e.g. dhis2-metadata/HIV_PREV `COMPLETE/metadata.json`, built for 2.41.6)
  when `SCDI_WHO_PACKAGE` names a local copy; packages from public repositories are not
  committed here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from scdi.upstream.releases import RELEASES
from tests.sandbox import third_party_package
from tests.sandbox.helpers import ADMIN, post_metadata
from tests.shared_paths import WHO_PACKAGE

SERVER_KEYS = {"lastUpdated", "created", "lastUpdatedBy", "createdBy", "access", "href",
               "displayName", "displayShortName", "displayDescription", "displayFormName",
               "favorite", "favorites", "user"}


def _strip(value):
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in SERVER_KEYS}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _contains(got: Any, sent: Any) -> bool:
    """What was sent came back unchanged; the server may add to objects (a sharing `owner`,
    defaults of embedded objects), as DHIS2 does on import, and an empty string comes back as
    nothing (EmptyStringToNullStdDeserializer reads it as null, NON_NULL leaves it out)."""
    if sent == "" and got is None:
        return True
    if isinstance(sent, dict):
        return isinstance(got, dict) and all(_contains(got.get(k), v) for k, v in sent.items())
    if isinstance(sent, list):
        return isinstance(got, list) and len(got) == len(sent) and \
            all(_contains(g, v) for g, v in zip(got, sent, strict=True))
    return bool(got == sent)


def _import_reimport_read_back(url: str, package: dict[str, Any], plurals, *,
                               external: bool = False) -> dict[str, int]:
    """VALIDATE, COMMIT, COMMIT again, read back; the first commit's stats."""
    total = third_party_package.object_count(package)
    validate = post_metadata(url, package, importMode="VALIDATE")
    assert validate.status_code == 200, validate.text[:2000]
    assert validate.json()["response"]["stats"]["total"] == total
    first = post_metadata(url, package)
    assert first.status_code == 200, first.text[:2000]
    stats: dict[str, int] = first.json()["response"]["stats"]
    assert stats["created"] + stats["updated"] == total and stats["ignored"] == 0
    second = post_metadata(url, package).json()["response"]["stats"]
    assert second["updated"] == second["total"] == total
    exported = requests.get(f"{url}/api/metadata", auth=ADMIN, timeout=120).json()
    for plural in plurals:
        stored = {o["id"]: _strip(o) for o in exported[plural]}
        for sent in package[plural]:
            got = stored[sent["id"]]
            expected = _strip(sent)
            if not external and isinstance(expected.get("sharing"), dict):
                # 2.41.9's and 2.43.1's user/sharing/Sharing.java have no `external`: Jackson
                # drops it on import and no read writes it (only 2.42.5's has one)
                expected["sharing"] = {k: v for k, v in expected["sharing"].items() if k != "external"}
            lost = {k for k, v in expected.items() if not _contains(got.get(k), v)}
            assert not lost, (plural, sent["id"], lost)
    return stats


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_large_synthetic_third_party_package(sandbox_factory, version: str) -> None:
    running = sandbox_factory(version=version)
    # built on the release it goes to: 2.42+ refuse a tracked entity type without shortName
    package = third_party_package.build(built_for=RELEASES[version].example_version)
    assert third_party_package.object_count(package) > 600
    # every type it holds, the ones the sandbox models and the ones it stores as given
    # (indicators, maps, legend sets, sections, aggregate data exchanges)
    plurals = [k for k, v in package.items() if isinstance(v, list)]
    first = _import_reimport_read_back(running.url, package, plurals,
                                       external=RELEASES[version].sharing_external_access)
    assert first["created"] == third_party_package.object_count(package)  # nothing pre-exists


@pytest.mark.skipif(WHO_PACKAGE is None,
                    reason="set SCDI_WHO_PACKAGE to a local copy of a WHO package's "
                           "COMPLETE/metadata.json (not committed: public-repository data)")
def test_who_package(sandbox_factory) -> None:
    assert WHO_PACKAGE is not None
    running = sandbox_factory(version="2.41")
    package = json.loads(WHO_PACKAGE.read_text(encoding="utf-8"))
    # A real package also carries DHIS2's default category objects, which exist already
    # (updated, not created).
    plurals = [p for p in ("visualizations", "maps", "programRules", "programRuleActions",
                           "aggregateDataExchanges", "indicators", "optionSets")
               if package.get(p)]
    _import_reimport_read_back(running.url, package, plurals)
