"""Value types per release (metadata/registry.py#properties with `Release.enum_constants_removed`):
2.43.1 `common/ValueType.java` has no TRACKER_ASSOCIATE, which 2.41.9 and 2.42.5 declare."""

from __future__ import annotations

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata

ATTRIBUTE = {"id": "teaAssoc001", "name": "Người liên hệ", "shortName": "Người liên hệ",
             "valueType": "TRACKER_ASSOCIATE", "aggregationType": "NONE"}


@pytest.mark.parametrize("version", ["2.41", "2.42"])
def test_tracker_associate_imports_before_2_43(sandbox_factory, version: str) -> None:
    running: RunningSandbox = sandbox_factory(version=version)
    response = post_metadata(running.url, {"trackedEntityAttributes": [ATTRIBUTE]})
    assert response.status_code == 200 and response.json()["status"] == "OK", response.text
    constants = requests.get(f"{running.url}/api/schemas/trackedEntityAttribute/valueType",
                             auth=ADMIN, timeout=10).json()["constants"]
    assert "TRACKER_ASSOCIATE" in constants


def test_tracker_associate_is_no_constant_on_2_43(sandbox_factory) -> None:
    # Jackson's InvalidFormatException for the unknown constant is a JsonMappingException,
    # which 2.43.1's CrudControllerAdvice#jsonParseExceptionHandler answers (:402-411): 409
    # with its message, nothing imported.
    running: RunningSandbox = sandbox_factory(version="2.43")
    response = post_metadata(running.url, {"trackedEntityAttributes": [ATTRIBUTE]})
    assert response.status_code == 409
    message = response.json()["message"]
    assert message.startswith(
        "Cannot deserialize value of type `org.hisp.dhis.common.ValueType` from String "
        '"TRACKER_ASSOCIATE": not one of the values accepted for Enum class: [')
    listed = message[message.rindex("[") + 1:message.rindex("]")].split(", ")
    assert "USERNAME" in listed and "INTEGER_ZERO_OR_POSITIVE" in listed
    assert "TRACKER_ASSOCIATE" not in listed
    assert requests.get(f"{running.url}/api/trackedEntityAttributes/teaAssoc001", auth=ADMIN,
                        timeout=10).status_code == 404
    constants = requests.get(f"{running.url}/api/schemas/dataElement/valueType",
                             auth=ADMIN, timeout=10).json()["constants"]
    assert "TRACKER_ASSOCIATE" not in constants and "USERNAME" in constants
