"""Status tells the truth about what it can know: drift against what the installed version
deployed (never through another package's eyes), another package's record is not "up to date",
and a record with a date that is not a date cannot be read."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.errors import InputError, OtherPackageInstalled, ValidationFailed
from scdi.connector.metadata.deploy import deploy
from scdi.connector.metadata.installed import KEY, NAMESPACE, read_record
from scdi.connector.metadata.status import status
from scdi.sandbox.seed import DEMO_PASSWORD

from .test_deploy import DEPENDENCIES, SESSIONS_DE

OTHER_DE = "IVEn5e6miNB"  # a data element the "newer" package below leaves as it is


@pytest.fixture
def client(fresh_sandbox: Any) -> Iterator[Dhis2Client]:
    with Dhis2Client(ServerSettings(base_url=fresh_sandbox.url, username="admin", password="district")) as c:
        yield c


def _newer(pkg: dict[str, Any]) -> dict[str, Any]:
    new = copy.deepcopy(pkg)
    major, minor, _ = (int(part) for part in pkg["package"]["version"].split("."))
    new["package"]["version"] = f"{major}.{minor + 1}.0"  # the next minor of whatever is current
    element = next(d for d in new["dataElements"] if d["id"] == SESSIONS_DE)
    element["formName"] = "Counselling sessions since the last follow-up"
    element["description"] = "A property the installed version did not ship"
    return new


def _edit(client: Dhis2Client, uid: str, form_name: str) -> None:
    element = client.get(f"dataElements/{uid}")
    element["formName"] = form_name
    client.put(f"dataElements/{uid}", json=element)


def test_status_of_another_version_sees_drift_only_where_it_can(client: Dhis2Client,
                                                               built_package: dict[str, Any]) -> None:
    pkg = copy.deepcopy(built_package)
    deploy(client, pkg, dependencies=DEPENDENCIES)
    newer = _newer(pkg)
    report = status(client, newer)
    assert report.relation == "upgrade"
    assert report.drift == []  # untouched objects are not drift, whatever the new version ships
    assert report.drift_unknown == 1  # the one object 1.1.0 ships differently

    _edit(client, OTHER_DE, "Edited by hand")
    report = status(client, newer)
    assert [(d.uid, d.state) for d in report.drift] == [(OTHER_DE, "changed")]

    record = read_record(client)
    assert record is not None
    old = record.dump()
    old.pop("packageObjects")  # a record from before the object checksums were kept
    client.datastore_put(NAMESPACE, KEY, old)
    report = status(client, newer)
    assert report.drift == [] and report.drift_unknown == sum(len(h) for h in record.objects.values())
    assert not report.ok


def test_a_record_of_another_package_is_not_up_to_date(client: Dhis2Client, built_package: dict[str, Any]) -> None:
    pkg = copy.deepcopy(built_package)
    deploy(client, pkg, dependencies=DEPENDENCIES)
    record = read_record(client)
    assert record is not None
    client.datastore_put(NAMESPACE, KEY, {**record.dump(), "code": "SOMEONE_ELSES"})  # same checksum
    report = status(client, pkg)
    assert report.relation == "other-package" and report.installed_code == "SOMEONE_ELSES"
    assert report.drift == [] and report.drift_unknown > 0 and not report.ok
    with pytest.raises(OtherPackageInstalled):
        deploy(client, _newer(pkg), dependencies=DEPENDENCIES)


@pytest.mark.parametrize("change", [{"installedAt": "x"}, {"code": ""}, {"installedBy": " "}])
def test_a_record_with_a_bad_field_cannot_be_read(client: Dhis2Client, built_package: dict[str, Any],
                                                  change: dict[str, Any]) -> None:
    value = {"code": "SCDI_GROUPS", "version": "1.0.0", "checksum": "sha256:x",
             "installedAt": "2025-03-01T08:00:00+00:00", "installedBy": "admin", **change}
    client.datastore_put(NAMESPACE, KEY, value)
    with pytest.raises(InputError, match=next(iter(change))):
        read_record(client)


def test_missing_authorities_are_one_summary_not_one_error_per_object(fresh_sandbox: Any,
                                                                      built_package: dict[str, Any]) -> None:
    manager = Dhis2Client(ServerSettings(base_url=fresh_sandbox.url, username="metadata.manager",
                                         password=DEMO_PASSWORD))
    with manager, pytest.raises(ValidationFailed) as caught:
        deploy(manager, copy.deepcopy(built_package), dependencies=DEPENDENCIES)
    assert caught.value.findings == []
    assert "lacks" in caught.value.message and "F_DASHBOARD_PUBLIC_ADD" in caught.value.message
    assert "scdi doctor" in caught.value.hint


def test_e3000_for_every_object_of_a_type_is_one_finding_per_type(
        fresh_sandbox: Any, built_package: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from scdi.connector.metadata import deploy as deploy_module

    monkeypatch.setattr(deploy_module, "_check_authorities", lambda client, payload: None)  # what DHIS2 says
    manager = Dhis2Client(ServerSettings(base_url=fresh_sandbox.url, username="metadata.manager",
                                         password=DEMO_PASSWORD))
    with manager, pytest.raises(ValidationFailed) as caught:
        deploy(manager, copy.deepcopy(built_package), dependencies=DEPENDENCIES)
    security = [f for f in caught.value.findings if f.code.startswith("deploy.E300")]
    assert security, caught.value.findings
    per_type = [(f.code, f.object_type) for f in security]
    assert len(per_type) == len(set(per_type))  # one line per type, not one per object
    assert len(caught.value.findings) < 20
