"""Checks that also run against a real DHIS2: set DHIS2_BASE_URL (and DHIS2_USERNAME,
DHIS2_PASSWORD) and they use it; otherwise they use the sandbox. Nothing here writes to the
server: the deploy is a dry run (importMode=VALIDATE)."""

from __future__ import annotations

import pytest

from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.doctor import run_doctor
from scdi.connector.metadata.deploy import deploy_source
from scdi.connector.metadata.source import load_source
from scdi.upstream.releases import Support

pytestmark = pytest.mark.live


@pytest.fixture
def target_client(dhis2_target):
    url, username, password = dhis2_target
    with Dhis2Client(ServerSettings(base_url=url, username=username, password=password)) as client:
        yield client


def test_server_is_in_the_supported_window(target_client):
    assert target_client.check_version() in (Support.SUPPORTED, Support.WARN)
    assert target_client.me()["username"]


def test_doctor_reports_on_the_target(target_client):
    report = run_doctor(target_client)
    assert report.server_version == target_client.server_version
    assert {a.purpose for a in report.authorities} == {"deploy metadata", "sync rosters"}


def test_package_dry_run_on_the_target_writes_nothing(target_client):
    report = deploy_source(target_client, load_source(), dry_run=True)
    assert report.dry_run
    assert report.writes == 0
