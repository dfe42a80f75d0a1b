"""The schema and uniqueness checks of the metadata import for the types without schema facts:
DefaultSchemaValidator and UniquenessCheck read every type's properties (required, length,
min/max, unique) from the release's mappings (data/schema_properties/<tag>.json), and so does
/api/schemas."""

from __future__ import annotations

import pytest
import requests

from tests.sandbox.helpers import ADMIN, object_errors, post_metadata

VERSIONS = ["2.41", "2.42", "2.43"]


def _codes(body: dict) -> list[tuple[str, str | None]]:
    return [(e["errorCode"], e.get("errorProperty")) for e in object_errors(body)]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_group_without_a_name_or_with_a_long_one_is_refused(sandbox_factory, version: str
                                                                ) -> None:
    # DataElementGroup.hbm.xml (2.41.9, 2.42.5, 2.43.1): name not-null, length 230; shortName
    # not-null, length 50 → E4000 / E4001 (DefaultSchemaValidator#validateProperty,
    # #validateString), the object ignored
    url = sandbox_factory(version=version).url
    nameless = post_metadata(url, {"dataElementGroups": [
        {"id": "degNoName01", "shortName": "Nhóm"}]}).json()
    assert nameless["status"] == "WARNING" and nameless["response"]["stats"]["ignored"] == 1
    (error,) = object_errors(nameless)
    assert (error["errorCode"], error["message"]) == ("E4000", "Missing required property `name`")
    assert error["mainKlass"] == "org.hisp.dhis.dataelement.DataElementGroup"
    assert error["errorKlass"] == "java.lang.String"
    long_name = post_metadata(url, {"dataElementGroups": [
        {"id": "degLongNm01", "name": "N" * 231, "shortName": "Nhóm dài"}]}).json()
    (error,) = object_errors(long_name)
    assert error["errorCode"] == "E4001"
    assert error["message"] == "Maximum length of property `name`is 230, but given length was 231"
    # POST /api/{plural} goes through the same import
    crud = requests.post(f"{url}/api/dataElementGroups", json={"name": "Chỉ tên"}, auth=ADMIN,
                         timeout=10)
    assert crud.status_code == 409, crud.text
    assert [(e["errorCode"], e["errorProperty"]) for e in crud.json()["response"]["errorReports"]
            ] == [("E4000", "shortName")]
    for uid in ("degNoName01", "degLongNm01"):
        assert requests.get(f"{url}/api/dataElementGroups/{uid}", auth=ADMIN,
                            timeout=10).status_code == 404


@pytest.mark.parametrize("version", VERSIONS)
def test_two_org_unit_groups_with_one_name_are_e5003(sandbox_factory, version: str) -> None:
    # OrganisationUnitGroup.hbm.xml: name and shortName `unique="true"` → UniquenessCheck,
    # within the payload and against the stored groups (the preheat's uniqueness map)
    url = sandbox_factory(version=version).url
    first = {"id": "ougSame0001", "name": "Nhóm trùng", "shortName": "Trùng 1"}
    second = {"id": "ougSame0002", "name": "Nhóm trùng", "shortName": "Trùng 2"}
    body = post_metadata(url, {"organisationUnitGroups": [first, second]},
                         atomicMode="NONE").json()
    assert body["response"]["stats"]["created"] == 1 and body["response"]["stats"]["ignored"] == 1
    (error,) = object_errors(body)
    assert error["errorCode"] == "E5003" and error["errorProperty"] == "name"
    assert error["mainId"] == "ougSame0001"
    assert error["args"] == ["name", "Nhóm trùng", "Nhóm trùng [ougSame0002] (OrganisationUnitGroup)",
                             "ougSame0001"]
    again = post_metadata(url, {"organisationUnitGroups": [
        {"id": "ougSame0003", "name": "Khác", "shortName": "Trùng 1"}]}).json()
    assert _codes(again) == [("E5003", "shortName")]


@pytest.mark.parametrize("version", VERSIONS)
def test_indicator_group_names_are_unique_from_2_43(sandbox_factory, version: str) -> None:
    # IndicatorGroup.hbm.xml :18 `unique="false"` (2.41.9, 2.42.5); 2.43.1 maps the class with
    # JPA annotations, `@Column(name = "name", nullable = false, unique = true, length = 230)`
    url = sandbox_factory(version=version).url
    groups = [{"id": "igSameName1", "name": "Nhóm chỉ số"}, {"id": "igSameName2", "name": "Nhóm chỉ số"}]
    body = post_metadata(url, {"indicatorGroups": groups}).json()
    if version == "2.43":
        assert _codes(body) == [("E5003", "name")]
        assert body["response"]["stats"]["created"] == 0  # atomicMode ALL
    else:
        assert body["status"] == "OK" and body["response"]["stats"]["created"] == 2, body
    schema = requests.get(f"{url}/api/schemas/indicatorGroup", auth=ADMIN, timeout=10).json()
    name = {p["name"]: p for p in schema["properties"]}["name"]
    assert (name["unique"], name["required"], name["length"]) == (version == "2.43", True, 230)


@pytest.mark.parametrize("version", VERSIONS)
def test_indicator_group_description_length_per_release(sandbox_factory, version: str) -> None:
    # 2.41.9/2.42.5 IndicatorGroup.hbm.xml :20 `type="text"` (TextType: length Integer.MAX_VALUE);
    # 2.43.1 `@Column(name = "description", columnDefinition = "text")` is a String column of
    # Hibernate's default length 255 (HibernatePropertyIntrospector#createProperty), so E4001
    url = sandbox_factory(version=version).url
    body = post_metadata(url, {"indicatorGroups": [
        {"id": "igLongDesc1", "name": "Mô tả dài", "description": "m" * 300}]}).json()
    if version == "2.43":
        (error,) = object_errors(body)
        assert error["message"] == ("Maximum length of property `description`is 255, but given "
                                    "length was 300")
    else:
        assert body["status"] == "OK", body
    schema = requests.get(f"{url}/api/schemas/indicatorGroup/description", auth=ADMIN,
                          timeout=10).json()
    assert schema["length"] == (255 if version == "2.43" else 2**31 - 1)


@pytest.mark.parametrize("version", VERSIONS)
def test_schemas_report_the_constraints_the_checks_use(sandbox_factory, version: str) -> None:
    url = sandbox_factory(version=version).url
    schema = requests.get(f"{url}/api/schemas/organisationUnitGroup", auth=ADMIN,
                          timeout=10).json()
    by_name = {p["name"]: p for p in schema["properties"]}
    assert {k: by_name["name"][k] for k in ("required", "unique", "length", "min", "max")} == {
        "required": True, "unique": True, "length": 230, "min": 1.0, "max": 230.0}
    assert (by_name["code"]["unique"], by_name["code"]["required"], by_name["code"]["length"]) \
        == (True, False, 50)
    assert by_name["displayName"]["required"] is False and "length" not in by_name["displayName"]


@pytest.mark.parametrize("version", VERSIONS)
def test_lengths_count_utf16_code_units(sandbox_factory, version: str) -> None:
    # String#length counts UTF-16 code units: a character outside the BMP is two
    url = sandbox_factory(version=version).url
    name = "N" * 229 + "\U0001F600"
    body = post_metadata(url, {"dataElementGroups": [
        {"id": "degEmoji001", "name": name, "shortName": "Nhóm"}]}).json()
    (error,) = object_errors(body)
    assert (error["errorCode"], error["args"]) == ("E4001", ["name", "230", "231"])


def test_a_colour_is_matched_whole(sandbox_factory) -> None:
    # ValidationUtils#isValidHexColor: HEX_COLOR_PATTERN.matcher(value).matches(), so a
    # trailing newline is no colour (mapView's @Property(COLOR) colorHigh, registered from 2.43)
    url = sandbox_factory(version="2.43").url
    response = requests.post(f"{url}/api/schemas/mapView", json={"colorHigh": "#ffffff\n",
                                                                "colorLow": "#fff"},
                             auth=ADMIN, timeout=10)
    codes = [(e["errorCode"], e["errorProperty"]) for e in
             response.json()["response"]["errorReports"] if e["errorCode"] == "E4006"]
    assert codes == [("E4006", "colorHigh")]


@pytest.mark.parametrize("version", VERSIONS)
def test_skip_validation_meets_the_not_null_columns_of_any_type(sandbox_factory, version: str
                                                                ) -> None:
    # DataElementGroup.hbm.xml: shortName not-null → with a superuser's skipValidation the
    # commit's Nullability#checkNullability refuses it (PropertyValueException, 409)
    url = sandbox_factory(version=version).url
    response = post_metadata(url, {"dataElementGroups": [{"id": "degSkipVal1", "name": "Bỏ qua"}]},
                             skipValidation="true")
    assert (response.status_code, response.json()["message"]) == (
        409, "org.hibernate.PropertyValueException: not-null property references a null or "
             "transient value : org.hisp.dhis.dataelement.DataElementGroup.shortName")
