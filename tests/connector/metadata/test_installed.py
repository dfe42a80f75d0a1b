"""The installed record: semantic version order and a record that cannot be read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from scdi.connector.client import Dhis2Client
from scdi.connector.config import ServerSettings
from scdi.connector.errors import InputError
from scdi.connector.metadata.installed import KEY, NAMESPACE, read_record, version_key
from scdi.connector.metadata.status import status


@pytest.mark.parametrize(("older", "newer"), [
    ("1.0.0", "1.0.1"),
    ("1.9.0", "1.10.0"),
    ("1.1.0-rc.1", "1.1.0"),
    ("1.1.0-rc.2", "1.1.0-rc.10"),  # numeric identifiers compare as numbers (semver 11.4.1)
    ("1.1.0-alpha", "1.1.0-alpha.1"),  # a longer set of identifiers is newer (11.4.4)
    ("1.1.0-1", "1.1.0-alpha"),  # numeric identifiers before alphanumeric ones (11.4.3)
    ("1.1.0-alpha.beta", "1.1.0-beta"),
    ("1.1.0-beta.11", "1.1.0-rc.1"),
])
def test_version_order_follows_semver(older: str, newer: str) -> None:
    assert version_key(older) < version_key(newer)
    assert version_key(newer) > version_key(older)


def test_equal_versions_have_equal_keys() -> None:
    assert version_key("1.1.0-rc.1") == version_key(" 1.1.0-rc.1 ")


@pytest.fixture
def client(fresh_sandbox: Any) -> Iterator[Dhis2Client]:
    with Dhis2Client(ServerSettings(base_url=fresh_sandbox.url, username="admin", password="district")) as c:
        yield c


@pytest.mark.parametrize("value", [
    {"code": "SCDI_GROUPS"},  # fields missing
    {"code": "SCDI_GROUPS", "version": "one", "checksum": "sha256:x", "installedAt": "t", "installedBy": "u"},
])
def test_an_unreadable_installed_record_is_a_clear_error(client: Dhis2Client, built_package: dict[str, Any],
                                                         value: dict[str, Any]) -> None:
    client.datastore_put(NAMESPACE, KEY, value)
    with pytest.raises(InputError) as caught:
        read_record(client)
    assert f"dataStore/{NAMESPACE}/{KEY}" in str(caught.value)
    with pytest.raises(InputError):
        status(client, built_package)
