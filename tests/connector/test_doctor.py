"""`run_doctor` against the sandbox: version, authorities and the E1112 probe."""

from __future__ import annotations

import pytest

from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.doctor import probe_confidential_storage, run_doctor
from scdi.connector.metadata.deploy import deploy_source
from scdi.connector.metadata.source import load_source


def admin(url: str) -> Dhis2Client:
    return Dhis2Client(ServerSettings(base_url=url, username="admin", password="district"))


@pytest.mark.parametrize(("encryption", "expected"), [(True, "ok"), (False, "no: ")])
def test_confidential_storage_is_probed_after_deploy(sandbox_factory, encryption, expected):
    running = sandbox_factory(encryption=encryption)
    with admin(running.url) as client:
        assert probe_confidential_storage(client).startswith("not tested: deploy the metadata package")
        deploy_source(client, load_source(), validate_first=False)
        result = probe_confidential_storage(client)
    assert result.startswith(expected), result
    if not encryption:
        assert "encryption.password" in result


def test_probe_writes_nothing(sandbox_factory):
    running = sandbox_factory()
    with admin(running.url) as client:
        deploy_source(client, load_source(), validate_first=False)
        before = client.get(
            "tracker/trackedEntities", params={"trackedEntityType": "jSpQsMth1l8", "orgUnitMode": "ALL"}
        )
        assert probe_confidential_storage(client) == "ok"
        after = client.get("tracker/trackedEntities", params={"trackedEntityType": "jSpQsMth1l8", "orgUnitMode": "ALL"})
    assert before["trackedEntities"] == after["trackedEntities"] == []


def test_report_for_a_user_without_authorities(fresh_sandbox):
    viewer = Dhis2Client(ServerSettings(base_url=fresh_sandbox.url, username="dashboard.viewer", password="district"))
    with viewer:
        report = run_doctor(viewer)
    assert not report.superuser
    assert not report.healthy
    deploy = next(a for a in report.authorities if a.purpose == "deploy metadata")
    assert "F_PROGRAM_PUBLIC_ADD" in deploy.missing
