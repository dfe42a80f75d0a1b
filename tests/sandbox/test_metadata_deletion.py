"""Deletion vetoes: `importStrategy=DELETE` and `DELETE /api/{plural}/{uid}` of a referenced
object (dhis2-core DefaultObjectBundleService#deleteObject, DataElementDeletionHandler
#allowDeleteOptionSet, AbstractCrudController#deleteObject; same at 2.41.9, 2.42.5, 2.43.1)."""

from __future__ import annotations

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata

OPTION_SET = {"id": "osUid000001", "name": "Giới tính", "valueType": "TEXT",
              "options": [{"id": "opUid000001"}]}
OPTION = {"id": "opUid000001", "name": "Nam", "code": "M", "optionSet": {"id": "osUid000001"}}
DATA_ELEMENT = {"id": "deUid000009", "name": "Giới tính thành viên", "shortName": "Giới tính",
                "valueType": "TEXT", "domainType": "TRACKER", "aggregationType": "NONE",
                "optionSet": {"id": "osUid000001"}}
VETO = ("Object could not be deleted because it is associated with another object: "
        "DataElement")


def _setup(url: str) -> None:
    response = post_metadata(url, {"optionSets": [OPTION_SET], "options": [OPTION],
                                   "dataElements": [DATA_ELEMENT]})
    assert response.status_code == 200, response.text


def _e4030(report: dict[str, object]) -> None:
    assert report["errorReports"] == [{
        "message": VETO, "mainKlass": "org.hisp.dhis.option.OptionSet",
        "errorProperties": [], "errorCode": "E4030", "args": []}]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_import_delete_of_a_referenced_option_set_is_ignored_with_e4030(
        sandbox_factory, version: str) -> None:
    url = sandbox_factory(version=version).url
    _setup(url)
    response = post_metadata(url, {"optionSets": [OPTION_SET]}, importStrategy="DELETE")
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "WARNING"
    assert body["response"]["status"] == "WARNING"
    assert body["response"]["stats"] == {"created": 0, "updated": 0, "deleted": 0,
                                         "ignored": 1, "total": 1}
    (type_report,) = body["response"]["typeReports"]
    _e4030(type_report["objectReports"][0])
    still = requests.get(f"{url}/api/optionSets/osUid000001", auth=ADMIN, timeout=10)
    assert still.status_code == 200


def test_crud_delete_of_a_referenced_option_set_is_409_warning(fresh_sandbox: RunningSandbox
                                                               ) -> None:
    url = fresh_sandbox.url
    _setup(url)
    response = requests.delete(f"{url}/api/optionSets/osUid000001", auth=ADMIN, timeout=10)
    assert response.status_code == 409
    body = response.json()
    assert (body["status"], body["message"]) == (
        "WARNING", "One or more errors occurred, please see full details in import report.")
    assert body["response"]["responseType"] == "ObjectReport"
    assert body["response"]["uid"] == "osUid000001"
    _e4030(body["response"])
    # once the data element is gone the option set can go
    gone = requests.delete(f"{url}/api/dataElements/deUid000009", auth=ADMIN, timeout=10)
    assert gone.status_code == 200, gone.text
    again = requests.delete(f"{url}/api/optionSets/osUid000001", auth=ADMIN, timeout=10)
    assert again.status_code == 200, again.text


def test_org_unit_with_children_is_not_deleted(fresh_sandbox: RunningSandbox) -> None:
    url = fresh_sandbox.url
    units = requests.get(f"{url}/api/organisationUnits", auth=ADMIN, timeout=10,
                         params={"filter": "code:eq:VN-79", "fields": "id"}).json()
    uid = units["organisationUnits"][0]["id"]
    response = requests.delete(f"{url}/api/organisationUnits/{uid}", auth=ADMIN, timeout=10)
    assert response.status_code == 409
    message = response.json()["response"]["errorReports"][0]["message"]
    assert message.startswith("Object could not be deleted because it is associated with "
                              "another object: OrganisationUnit (")


PARENT = {"id": "ouParent001", "name": "Tỉnh Thử", "shortName": "Tỉnh Thử", "code": "XA-0",
          "openingDate": "2020-01-01"}
# (uid, code, name): BaseIdentifiableObject#hashCode buckets 2, 14, 0 and 11 of a 16-slot table
CHILDREN = [("ouKid000001", "XA-1", "Xã Một"), ("ouKid000002", "XA-2", "Xã Hai"),
            ("ouKid000003", "XA-3", "Xã Ba"), ("ouKid000004", "XA-4", "Xã Bốn")]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_org_unit_veto_names_the_children_in_hash_set_order(sandbox_factory, version: str
                                                            ) -> None:
    # OrganisationUnitDeletionHandler#allowDeleteOrganisationUnit joins the names of
    # `unit.getChildren()` (2.41.9 :106-112, 2.42.5 :108-114, 2.43.1 :107-113): a HashSet
    # iterated by bucket of BaseIdentifiableObject#hashCode, not in the order of creation.
    url = sandbox_factory(version=version).url
    units = [PARENT, *({"id": uid, "code": code, "name": name, "shortName": name,
                        "openingDate": "2020-01-01", "parent": {"id": PARENT["id"]}}
                       for uid, code, name in CHILDREN)]
    assert post_metadata(url, {"organisationUnits": units}).status_code == 200
    response = requests.delete(f"{url}/api/organisationUnits/{PARENT['id']}", auth=ADMIN,
                               timeout=10)
    assert response.status_code == 409
    assert response.json()["response"]["errorReports"][0]["message"] == (
        "Object could not be deleted because it is associated with another object: "
        "OrganisationUnit (Xã Ba,Xã Một,Xã Bốn,Xã Hai)")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_category_veto_names_the_combo_until_2_43(sandbox_factory, version: str) -> None:
    # CategoryComboDeletionHandler#allowDeleteCategory: 2.41.9 (:51-58) and 2.42.5 (:54-61)
    # name the first combo listing the category, 2.43.1 (:52-55) answers the handler's plain
    # VETO through `vetoIfExists` (`Release.category_veto_names_combo`).
    url = sandbox_factory(version=version).url
    payload = {
        "categoryOptions": [{"id": "coUid000001", "name": "Nữ", "shortName": "Nữ"}],
        "categories": [{"id": "caUid000001", "name": "Giới", "shortName": "Giới",
                        "dataDimensionType": "DISAGGREGATION",
                        "categoryOptions": [{"id": "coUid000001"}]}],
        "categoryCombos": [{"id": "ccUid000001", "name": "Theo giới",
                            "dataDimensionType": "DISAGGREGATION",
                            "categories": [{"id": "caUid000001"}]}]}
    assert post_metadata(url, payload).status_code == 200
    response = requests.delete(f"{url}/api/categories/caUid000001", auth=ADMIN, timeout=10)
    assert response.status_code == 409, response.text
    hint = "CategoryCombo" if version == "2.43" else "CategoryCombo (Theo giới)"
    assert response.json()["response"]["errorReports"][0]["message"] == (
        f"Object could not be deleted because it is associated with another object: {hint}")
