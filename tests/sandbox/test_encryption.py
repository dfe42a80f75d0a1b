"""E1112: a confidential attribute value on a server without an encryption password.

dhis2-core `tracker/imports/validation/validator/AttributeValidator.java#validateAttributeValue`
and `external/conf/DefaultDhisConfigurationProvider.java#getEncryptionStatus`.
"""

from __future__ import annotations

import requests

ADMIN = ("admin", "district")
TET = {"trackedEntityTypes": [{"id": "tetSecret01", "name": "Secret person", "shortName": "Secret person",
                               "trackedEntityTypeAttributes": [{"trackedEntityAttribute": {"id": "teaPhone001"}}]}],
       "trackedEntityAttributes": [{"id": "teaPhone001", "name": "Phone (confidential)", "shortName": "Phone conf",
                                    "valueType": "PHONE_NUMBER", "aggregationType": "NONE",
                                    "confidential": True}]}


def _import_person(url: str) -> dict:
    posted = requests.post(f"{url}/api/metadata", json=TET, auth=ADMIN, timeout=10)
    assert posted.status_code == 200, posted.text
    me = requests.get(f"{url}/api/me", auth=ADMIN, timeout=10).json()
    payload = {"trackedEntities": [{"trackedEntityType": "tetSecret01", "orgUnit": me["organisationUnits"][0]["id"],
                                    "attributes": [{"attribute": "teaPhone001", "value": "0900000000"}]}]}
    answer = requests.post(f"{url}/api/tracker", params={"async": "false", "importMode": "VALIDATE"},
                           json=payload, auth=ADMIN, timeout=10)
    return {"status": answer.status_code, "body": answer.json()}


def codes(result: dict) -> set[str]:
    return {e["errorCode"] for e in result["body"]["validationReport"]["errorReports"]}


def test_without_encryption_confidential_values_are_refused(sandbox_factory):
    running = sandbox_factory(encryption=False)
    result = _import_person(running.url)
    assert result["status"] == 409
    assert codes(result) == {"E1112"}
    info = requests.get(f"{running.url}/api/system/info", auth=ADMIN, timeout=10).json()
    assert info["encryption"] is False


def test_with_encryption_they_are_accepted(sandbox_factory):
    running = sandbox_factory(encryption=True)
    result = _import_person(running.url)
    assert "E1112" not in codes(result)
    assert requests.get(f"{running.url}/api/system/info", auth=ADMIN, timeout=10).json()["encryption"] is True


def test_the_setting_survives_a_reset(sandbox_factory):
    running = sandbox_factory(encryption=False)
    running.reset()
    assert codes(_import_person(running.url)) == {"E1112"}
