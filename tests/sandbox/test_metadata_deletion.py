"""Deletion vetoes: `importStrategy=DELETE` and `DELETE /api/{plural}/{uid}` of a referenced
object (dhis2-core DefaultObjectBundleService#deleteObject, DataElementDeletionHandler
#allowDeleteOptionSet, AbstractCrudController#deleteObject; same at 2.41.9, 2.42.5, 2.43.1)."""

from __future__ import annotations

import time

import pytest
import requests

from scdi.sandbox.metadata import expression_items
from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN, post_metadata, unit_uid

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


def _combo_payload() -> dict[str, list[dict[str, object]]]:
    """A category combo with one option combo, a data element using it, and a second combo."""
    return {
        "categoryOptions": [{"id": "coCcVeto001", "name": "Nam", "shortName": "Nam"}],
        "categories": [{"id": "caCcVeto001", "name": "Giới tính", "shortName": "Giới tính",
                        "dataDimensionType": "DISAGGREGATION",
                        "categoryOptions": [{"id": "coCcVeto001"}]}],
        "categoryCombos": [{"id": uid, "name": name, "dataDimensionType": "DISAGGREGATION",
                            "categories": [{"id": "caCcVeto001"}]}
                           for uid, name in (("ccCcVeto001", "Theo giới"),
                                             ("ccCcOther01", "Theo giới khác"))],
        "categoryOptionCombos": [{"id": "cocCcVeto01", "name": "Nam",
                                  "categoryCombo": {"id": "ccCcVeto001"},
                                  "categoryOptions": [{"id": "coCcVeto001"}]}],
        "dataElements": [{"id": "deCcVeto001", "name": "Số ca", "shortName": "Số ca",
                          "valueType": "NUMBER", "domainType": "AGGREGATE",
                          "aggregationType": "SUM", "categoryCombo": {"id": "ccCcVeto001"}}]}


def _delete_combo(url: str) -> requests.Response:
    return requests.delete(f"{url}/api/categoryCombos/ccCcVeto001", auth=ADMIN, timeout=10)


def _veto(response: requests.Response) -> str:
    assert response.status_code == 409, response.text
    (report,) = response.json()["response"]["errorReports"]
    assert (report["errorCode"], report["mainKlass"]) == (
        "E4030", "org.hisp.dhis.category.CategoryCombo")
    return str(report["message"]).removeprefix(
        "Object could not be deleted because it is associated with another object: ")


def test_category_combo_vetoes_come_in_handler_order(fresh_sandbox: RunningSandbox) -> None:
    # The CategoryCombo vetoes over the combo's option combos, in registration order (the
    # same at 2.41.9, 2.42.5 and 2.43.1): CategoryOptionComboDeletionHandler (a data value,
    # "CategoryOptionCombo"), IndicatorDeletionHandler (an operand in an expression, "Indicator
    # (name)"), PredictorDeletionHandler (the output combo, "Predictor"); the first wins.
    url = fresh_sandbox.url
    assert post_metadata(url, _combo_payload()).status_code == 200
    predictor = {"id": "pdCcVeto001", "name": "Dự báo", "shortName": "Dự báo",
                 "generator": {"expression": "1"}, "periodType": "Monthly",
                 "organisationUnitDescendants": "DESCENDANTS",
                 "output": {"id": "deCcVeto001"}, "outputCombo": {"id": "cocCcVeto01"},
                 "sequentialSampleCount": 0, "annualSampleCount": 0}
    assert post_metadata(url, {"predictors": [predictor]}).status_code == 200
    assert _veto(_delete_combo(url)) == "Predictor"
    indicator = {"id": "inCcVeto001", "name": "Tỷ lệ nam", "shortName": "Tỷ lệ nam",
                 "indicatorType": {"id": "itCcVeto001"}, "denominator": "1",
                 "numerator": "#{deCcVeto001.cocCcVeto01} + #{deCcVeto001}"}
    assert post_metadata(url, {"indicatorTypes": [{"id": "itCcVeto001", "name": "Số",
                                                   "factor": 1}],
                               "indicators": [indicator]}).status_code == 200
    assert _veto(_delete_combo(url)) == "Indicator (Tỷ lệ nam)"
    province = unit_uid(url, "VN-79")
    sent = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=30, json={
        "orgUnit": province, "dataValues": [
            {"dataElement": "deCcVeto001", "period": "202401",
             "categoryOptionCombo": "cocCcVeto01", "value": "3"}]})
    assert sent.json()["response"]["importCount"]["imported"] == 1, sent.text
    assert _veto(_delete_combo(url)) == "CategoryOptionCombo"
    # through the importer likewise: ignored, the combo and its option combo kept
    body = post_metadata(url, {"categoryCombos": [{"id": "ccCcVeto001"}]},
                         importStrategy="DELETE").json()
    assert body["response"]["stats"]["ignored"] == 1
    for path in ("categoryCombos/ccCcVeto001", "categoryOptionCombos/cocCcVeto01"):
        assert requests.get(f"{url}/api/{path}", auth=ADMIN, timeout=10).status_code == 200


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_deleted_category_combo_takes_its_option_combos_and_saves_its_categories(
        sandbox_factory, version: str) -> None:
    # CategoryDeletionHandler#deleteCategoryCombo saves each category of the combo and
    # CategoryOptionComboDeletionHandler#deleteCategoryCombo deletes the combo's option
    # combos; each deleted option combo's CategoryComboDeletionHandler#deleteCategoryOptionCombo
    # saves every category combo at 2.41.9, none at 2.42.5/2.43.1 (updateNoAcl: lastUpdated)
    url = sandbox_factory(version=version).url
    assert post_metadata(url, _combo_payload()).status_code == 200

    def stamp(path: str) -> str:
        return str(requests.get(f"{url}/api/{path}", params={"fields": "lastUpdated"},
                                auth=ADMIN, timeout=10).json()["lastUpdated"])

    before = {path: stamp(path) for path in ("categories/caCcVeto001",
                                             "categoryCombos/ccCcOther01")}
    time.sleep(0.01)
    deleted = _delete_combo(url)
    assert deleted.status_code == 200, deleted.text
    assert requests.get(f"{url}/api/categoryOptionCombos/cocCcVeto01", auth=ADMIN,
                        timeout=10).status_code == 404
    assert stamp("categories/caCcVeto001") != before["categories/caCcVeto001"]
    other_saved = stamp("categoryCombos/ccCcOther01") != before["categoryCombos/ccCcOther01"]
    assert other_saved == (version == "2.41")
    read = requests.get(f"{url}/api/dataElements/deCcVeto001",
                        params={"fields": "categoryCombo"}, auth=ADMIN, timeout=10).json()
    assert read == {"categoryCombo": {"id": "bjDvmb4bfuf"}}


def test_an_expression_names_the_option_combos_of_its_operands() -> None:
    # DefaultExpressionService#getExpressionOptionComboIds: the category and attribute option
    # combo of each data element operand; a bare data element and a wildcard name none
    assert expression_items.option_combo_ids(
        "#{deCcVeto001.cocCcVeto01} + #{ deCcVeto001 . * . aocCcVeto01 } / #{deCcVeto002}"
        " * #{deCcVeto003.*}") == {"cocCcVeto01", "aocCcVeto01"}
    assert expression_items.option_combo_ids(None) == set()
