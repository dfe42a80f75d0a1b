"""/api/schemas from schema facts; POST /api/schemas/{type} validation."""

from __future__ import annotations

import json

import pytest
import requests

from scdi.sandbox.core import java_double
from scdi.sandbox.server import RunningSandbox
from tests.sandbox.helpers import ADMIN


def test_schema_of_program(sandbox: RunningSandbox) -> None:
    schema = requests.get(f"{sandbox.url}/api/schemas/program", auth=ADMIN, timeout=10).json()
    assert schema["klass"] == "org.hisp.dhis.program.Program"
    assert schema["plural"] == "programs" and schema["metadata"] is True
    props = {p["fieldName"]: p for p in schema["properties"]}
    assert props["name"]["required"] is True and props["name"]["length"] == 230
    # collections: `name` is the singular XML name, `fieldName` the Java field
    by_name = {p["name"]: p for p in schema["properties"]}
    assert by_name["programTrackedEntityAttribute"]["fieldName"] == "programAttributes"
    assert by_name["programTrackedEntityAttribute"]["collection"] is True
    assert props["programType"]["constants"] == ["WITH_REGISTRATION", "WITHOUT_REGISTRATION"]
    assert "e4000" not in props["name"]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_data_shareable_is_the_descriptors_flag(sandbox_factory, version: str) -> None:
    """Schema#isDataShareable / #isDataRead/WriteShareable from `setDataShareable(true)` (eight
    descriptors at each tag; ApiTokenSchemaDescriptor sets none), `favoritable` from a
    persisted `favorites`. The same flag decides the `data` part of the `access` blocks."""
    running = sandbox_factory(version=version)
    schemas = requests.get(f"{running.url}/api/schemas", auth=ADMIN, timeout=30).json()["schemas"]
    shareable = {s["plural"] for s in schemas if s["dataShareable"]}
    assert shareable == {"programs", "programStages", "trackedEntityTypes", "dataSets", "categoryOptions",
                         "relationshipTypes", "aggregateDataExchanges", "sqlViews"}
    assert all(s["dataReadShareable"] == s["dataWriteShareable"] == s["dataShareable"] for s in schemas)
    by_plural = {s["plural"]: s for s in schemas}
    assert by_plural["visualizations"]["favoritable"] is True and by_plural["dataElements"]["favoritable"] is False


def test_schema_list_and_unknown(sandbox: RunningSandbox) -> None:
    schemas = requests.get(f"{sandbox.url}/api/schemas?fields=singular,plural", auth=ADMIN,
                           timeout=10).json()["schemas"]
    assert {"singular": "dataElement", "plural": "dataElements"} in schemas
    missing = requests.get(f"{sandbox.url}/api/schemas/nope", auth=ADMIN, timeout=10)
    assert missing.status_code == 404 and missing.json()["message"] == "Type nope does not exist."


def test_validate_payload(sandbox: RunningSandbox) -> None:
    bad = requests.post(f"{sandbox.url}/api/schemas/dataElement", json={"name": "x"},
                        auth=ADMIN, timeout=10)
    assert bad.status_code == 400
    body = bad.json()
    assert body["status"] == "ERROR" and "message" not in body
    assert body["response"]["responseType"] == "ErrorReports"
    missing = {e["errorProperty"] for e in body["response"]["errorReports"]}
    assert missing == {"shortName", "valueType", "domainType", "aggregationType"}
    good = requests.post(f"{sandbox.url}/api/schemas/dataElement", auth=ADMIN, timeout=10,
                         json={"name": "x", "shortName": "x", "valueType": "TEXT",
                               "domainType": "TRACKER", "aggregationType": "NONE"})
    assert good.status_code == 200 and good.json()["status"] == "OK"
    # WebMessageUtils#errorReports answers ok() with the empty ErrorReports response
    assert good.json()["response"] == {"responseType": "ErrorReports", "errorReports": []}
    # SchemaController#validateSchema reads the body with ObjectMapper#readValue: an array is
    # Jackson's MismatchedInputException, answered by #defaultExceptionHandler on 2.42.5 (500, no
    # errorCode; 409 on 2.43.1, test_validate_reads_the_body_with_jackson)
    listed = requests.post(f"{sandbox.url}/api/schemas/dataElement", json=[], auth=ADMIN, timeout=10)
    assert listed.status_code == 500 and "errorCode" not in listed.json()
    assert listed.json()["message"].startswith(
        "Cannot deserialize value of type `org.hisp.dhis.dataelement.DataElement` from Array value")


def test_externalize_authority_only_on_2_42(sandbox_factory) -> None:
    # security/AuthorityType.java has EXTERNALIZE at 2.42.5 only (not at 2.41.9 nor 2.43.1),
    # so only 2.42 lists DashboardSchemaDescriptor's EXTERNALIZE authority.
    for version, expected in (("2.41", False), ("2.42", True), ("2.43", False)):
        running = sandbox_factory(version=version)
        body = requests.get(f"{running.url}/api/schemas/dashboard", params={"fields": "authorities"},
                            auth=ADMIN, timeout=10).json()
        kinds = {a["type"] for a in body["authorities"]}
        assert "CREATE_PUBLIC" in kinds
        assert ("EXTERNALIZE" in kinds) is expected, (version, kinds)


def _authorities(url: str, singular: str) -> dict[str, list[str]]:
    body = requests.get(f"{url}/api/schemas/{singular}", params={"fields": "authorities"},
                        auth=ADMIN, timeout=10).json()
    return {a["type"]: a["authorities"] for a in body["authorities"]}


def test_authorities_are_the_releases_own(sandbox_factory) -> None:
    # schema/descriptors/SmsCommandSchemaDescriptor.java adds READ from 2.42.5 (not at 2.41.9);
    # OAuth2ClientSchemaDescriptor.java gains UPDATE and a new class at 2.42.5.
    old = sandbox_factory(version="2.41")
    assert _authorities(old.url, "smsCommand") == {
        "CREATE": ["F_MOBILE_SENDSMS"], "DELETE": ["F_MOBILE_SENDSMS"]}
    assert "UPDATE" not in _authorities(old.url, "oAuth2Client")
    klass = requests.get(f"{old.url}/api/schemas/oAuth2Client", params={"fields": "klass"},
                         auth=ADMIN, timeout=10).json()["klass"]
    assert klass == "org.hisp.dhis.security.oauth2.OAuth2Client"
    for version in ("2.42", "2.43"):
        running = sandbox_factory(version=version)
        assert _authorities(running.url, "smsCommand")["READ"] == ["F_MOBILE_SENDSMS"]
        assert _authorities(running.url, "oAuth2Client")["UPDATE"] == ["F_OAUTH2_CLIENT_MANAGE"]


def test_types_the_release_does_not_register_do_not_exist(sandbox_factory) -> None:
    # schema/DefaultSchemaService.java#init: 2.43.1 registers no PushAnalysis, DataInputPeriod
    # or ExternalFileResource descriptor (2.42.5 does), and registers MapView (2.42.5 does not);
    # 2.42.5 no longer registers 2.41.9's TrackedEntityInstance.
    present = {"2.41": {"pushAnalysis", "dataInputPeriod", "trackedEntityInstance"},
               "2.42": {"pushAnalysis", "dataInputPeriod", "externalFileResource"},
               "2.43": {"mapView"}}
    every = set().union(*present.values())
    for version, expected in present.items():
        running = sandbox_factory(version=version)
        listed = {s["singular"] for s in requests.get(
            f"{running.url}/api/schemas", params={"fields": "singular"}, auth=ADMIN,
            timeout=10).json()["schemas"]}
        assert listed & every == expected, version
        for singular in every - expected:
            missing = requests.get(f"{running.url}/api/schemas/{singular}", auth=ADMIN,
                                   timeout=10)
            assert missing.status_code == 404, (version, singular)
            assert missing.json()["message"] == f"Type {singular} does not exist."
        for singular in expected:
            found = requests.get(f"{running.url}/api/schemas/{singular}", auth=ADMIN,
                                 timeout=10)
            assert found.status_code == 200, (version, singular)


def test_order_is_the_releases_own(sandbox_factory) -> None:
    # OAuth2ClientSchemaDescriptor.java: setOrder(1030) at 2.41.9; none from 2.42.5, so
    # Schema#order keeps Ordered.LOWEST_PRECEDENCE (Integer.MAX_VALUE).
    for version, order in (("2.41", 1030), ("2.42", 2**31 - 1), ("2.43", 2**31 - 1)):
        running = sandbox_factory(version=version)
        body = requests.get(f"{running.url}/api/schemas/oAuth2Client", params={"fields": "order"},
                            auth=ADMIN, timeout=10).json()
        assert body["order"] == order, version


def _literals(text: str) -> object:
    # each number as the text it was written with, marked int or double
    return json.loads(text, parse_float=lambda s: ("double", s),
                      parse_int=lambda s: ("int", s))


def test_min_and_max_are_written_as_java_doubles(sandbox_factory) -> None:
    # schema/Property.java: `Double min`, `Double max`, `Integer length` (2.41.9 :168-174,
    # 2.42.5 and 2.43.1 :174-180); Jackson writes a Double with Double#toString
    for version in ("2.41", "2.42", "2.43"):
        url = sandbox_factory(version=version).url
        schema = requests.get(f"{url}/api/schemas/dataElement", auth=ADMIN, timeout=10)
        props = {p["name"]: p for p in _literals(schema.text)["properties"]}  # type: ignore[index]
        assert (props["code"]["min"], props["code"]["max"]) == (("double", "0.0"), ("double", "50.0"))
        assert props["code"]["length"] == ("int", "50")
        assert props["description"]["max"] == ("double", "2.147483647E9"), version
        assert props["href"]["max"] == ("double", "1.7976931348623157E308"), version
        one = requests.get(f"{url}/api/schemas/dataElement/name", auth=ADMIN, timeout=10)
        assert _literals(one.text)["min"] == ("double", "1.0")  # type: ignore[index]
        listed = requests.get(f"{url}/api/schemas", params={"fields": "name,properties[name,max]"},
                              auth=ADMIN, timeout=10)
        assert '"max":2.147483647E9' in listed.text


@pytest.mark.parametrize("value, text", [
    (0.0, "0.0"), (-0.0, "-0.0"), (255.0, "255.0"), (1e9, "1.0E9"), (9999999.0, "9999999.0"),
    (1e7, "1.0E7"), (0.001, "0.001"), (0.0001, "1.0E-4"), (-2147483648.0, "-2.147483648E9"),
    (1.5e-10, "1.5E-10"), (123.456, "123.456"), (float("inf"), "Infinity"),
])
def test_double_to_string(value: float, text: str) -> None:
    assert java_double.to_string(value) == text


def test_validate_reads_the_body_with_jackson(sandbox_factory) -> None:
    # SchemaController#validateSchema reads request.getInputStream() with
    # ObjectMapper#readValue(…, schema.getKlass()) (2.41.9 :118, 2.42.5 :130, 2.43.1 :127):
    # JsonParseException 409 at every tag, a JsonMappingException 409 at 2.43.1 and 500
    # before (CrudControllerAdvice); a JSON null is handed to DefaultSchemaValidator, which asks
    # it for its class (500).
    for version, mapping in (("2.41", 500), ("2.42", 500), ("2.43", 409)):
        url = sandbox_factory(version=version).url

        def send(body: bytes, url: str = url) -> requests.Response:
            return requests.post(f"{url}/api/schemas/dataElement", data=body, auth=ADMIN,
                                 timeout=10, headers={"Content-Type": "application/json"})

        broken = send(b"{")
        assert broken.status_code == 409, (version, broken.text)
        assert broken.json()["message"].startswith(
            "Unexpected end-of-input: expected close marker for Object (start marker at")
        assert send(b"").status_code == mapping
        listed = send(b"[]")
        assert listed.status_code == mapping and listed.json()["message"].startswith(
            "Cannot deserialize value of type `org.hisp.dhis.dataelement.DataElement` from Array")
        null = send(b"null")
        assert null.status_code == 500 and null.json()["message"] == (
            'Cannot invoke "Object.getClass()" because "object" is null')


@pytest.mark.parametrize(("version", "message"), [
    ("2.41", "Content type 'text/plain' not supported"),
    ("2.42", "Content-Type 'text/plain' is not supported"),
    ("2.43", "Content-Type 'text/plain' is not supported")])
def test_validate_consumes_json_or_xml(sandbox_factory, version, message) -> None:
    # SchemaController#validateSchema's mapping consumes application/json and application/xml:
    # another media type is refused while the handler is looked up (415, before the type's 404)
    url = sandbox_factory(version=version).url
    for path in ("/api/schemas/dataElement", "/api/schemas/nope"):
        refused = requests.post(f"{url}{path}", data=b"{}", auth=ADMIN, timeout=10,
                                headers={"Content-Type": "text/plain"})
        assert refused.status_code == 415, (version, path, refused.text)
        assert refused.json()["message"] == message
    # an XML body passes the mapping and reaches the JSON ObjectMapper: a JsonParseException
    xml = requests.post(f"{url}/api/schemas/dataElement", data=b"<dataElement/>", auth=ADMIN,
                        timeout=10, headers={"Content-Type": "application/xml"})
    assert xml.status_code == 409
    assert xml.json()["message"].startswith("Unexpected character ('<' (code 60))")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_schema_name_and_display_name(sandbox_factory, version: str) -> None:
    # DefaultSchemaService#updateSelf: name from the `__schema__` property (the class's
    # @JacksonXmlRootElement localName); displayName TextUtils#getPrettyClassName
    url = sandbox_factory(version=version).url
    schema = requests.get(f"{url}/api/schemas/dataElement", auth=ADMIN, timeout=10).json()
    assert (schema["name"], schema["displayName"]) == ("dataElement", "Data Element")
    assert schema["collectionName"] == "dataElements"
    assert schema["namespace"] == "http://dhis2.org/schema/dxf/2.0"
    # the annotation of a supertype: FileResource extends BaseIdentifiableObject
    other = requests.get(f"{url}/api/schemas/fileResource", auth=ADMIN, timeout=10).json()
    assert (other["name"], other["displayName"]) == ("identifiableObject", "File Resource")
    # no root annotation in the hierarchy: no name, collectionName or namespace
    style = requests.get(f"{url}/api/schemas/objectStyle", auth=ADMIN, timeout=10).json()
    assert not {"name", "collectionName", "namespace"} & set(style)
    assert style["displayName"] == "Object Style"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_schema_endpoints_are_the_descriptors(sandbox_factory, version: str) -> None:
    # DefaultLinkService#generateSchemaLinks sets apiEndpoint only when Schema#hasApiEndpoint;
    # ExpressionDimensionItemSchemaDescriptor sets no relative endpoint
    url = sandbox_factory(version=version).url
    item = requests.get(f"{url}/api/schemas/expressionDimensionItem", auth=ADMIN,
                        timeout=10).json()
    assert "relativeApiEndpoint" not in item and "apiEndpoint" not in item
    version_schema = requests.get(f"{url}/api/schemas/metadataVersion", auth=ADMIN,
                                  timeout=10).json()
    assert version_schema["relativeApiEndpoint"] == "/metadata/version"
    assert version_schema["apiEndpoint"] == f"{url}/api/metadata/version"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_schema_flags_from_the_descriptors(sandbox_factory, version: str) -> None:
    # Schema.java's @JsonProperty persisted, secondaryMetadata, defaultPrivate,
    # subscribableObject, subscribable
    url = sandbox_factory(version=version).url

    def schema(singular: str) -> dict[str, object]:
        got: dict[str, object] = requests.get(f"{url}/api/schemas/{singular}", auth=ADMIN,
                                              timeout=10).json()
        return got

    keys = ("persisted", "secondaryMetadata", "defaultPrivate", "subscribableObject",
            "subscribable")
    assert [schema("dataElement")[k] for k in keys] == [True, False, False, False, False]
    assert [schema("dashboard")[k] for k in keys] == [True, False, True, False, False]
    assert [schema("visualization")[k] for k in keys] == [True, False, False, True, True]
    assert schema("objectStyle")["persisted"] is False
    assert schema("jobConfiguration")["secondaryMetadata"] is True


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_reference_properties_link_their_schema(sandbox_factory, version: str) -> None:
    # DefaultLinkService#generateSchemaLinks: href, relativeApiEndpoint and apiEndpoint of the
    # referenced class's schema, for a reference and a collection of references
    url = sandbox_factory(version=version).url
    schema = requests.get(f"{url}/api/schemas/dataElement", auth=ADMIN, timeout=10).json()
    props = {p["fieldName"]: p for p in schema["properties"]}
    assert {k: props["categoryCombo"].get(k) for k in ("href", "relativeApiEndpoint",
                                                         "apiEndpoint")} == {
        "href": f"{url}/api/schemas/categoryCombo", "relativeApiEndpoint": "/categoryCombos",
        "apiEndpoint": f"{url}/api/categoryCombos"}
    assert props["groups"]["href"] == f"{url}/api/schemas/dataElementGroup"
    assert props["groups"]["apiEndpoint"] == f"{url}/api/dataElementGroups"
    assert "href" not in props["code"]
    one = requests.get(f"{url}/api/schemas/dataElement/categoryCombo", auth=ADMIN,
                       timeout=10).json()
    assert one["apiEndpoint"] == f"{url}/api/categoryCombos"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_schema_links_of_a_versioned_path_per_release(sandbox_factory, version: str) -> None:
    # DefaultLinkService#generateSchemaLinks(Schema): 2.41.9 from ContextService#getServletPath
    # (`/api`, the version dropped), 2.42.5 / 2.43.1 from #getApiPath (the version kept)
    url = sandbox_factory(version=version).url
    n = version.split(".")[1]
    root = f"{url}/api" if version == "2.41" else f"{url}/api/{n}"
    schema = requests.get(f"{url}/api/{n}/schemas/dataElement", auth=ADMIN, timeout=10).json()
    assert (schema["href"], schema["apiEndpoint"]) == (
        f"{root}/schemas/dataElement", f"{root}/dataElements")
    props = {p["fieldName"]: p for p in schema["properties"]}
    assert (props["categoryCombo"]["href"], props["categoryCombo"]["apiEndpoint"]) == (
        f"{root}/schemas/categoryCombo", f"{root}/categoryCombos")
    listed = requests.get(f"{url}/api/{n}/schemas?fields=href,apiEndpoint", auth=ADMIN,
                          timeout=10).json()["schemas"]
    assert all(s["href"].startswith(f"{root}/schemas/") for s in listed)
    plain = requests.get(f"{url}/api/schemas/dataElement", auth=ADMIN, timeout=10).json()
    assert plain["href"] == f"{url}/api/schemas/dataElement"


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_schema_references_are_the_referenced_classes(sandbox_factory, version: str) -> None:
    # Schema#getReferences: the klass of each reference, the itemKlass of each collection of
    # references
    url = sandbox_factory(version=version).url
    schema = requests.get(f"{url}/api/schemas/dataElement", auth=ADMIN, timeout=10).json()
    assert {"org.hisp.dhis.category.CategoryCombo",
            "org.hisp.dhis.dataelement.DataElementGroup"} <= set(schema["references"])
    assert "java.lang.String" not in schema["references"]
    style = requests.get(f"{url}/api/schemas/objectStyle", auth=ADMIN, timeout=10).json()
    assert style["references"] == []


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_validate_lists_the_errors_in_the_property_map_order(sandbox_factory, version: str
                                                             ) -> None:
    # DefaultSchemaValidator#validate walks Schema#getProperties (2.41.9 :102, 2.42.5 and 2.43.1
    # :104): the values of a HashMap copy of the 42 introspected properties of DataElement
    # (DefaultSchemaService#init), 64 buckets, so the required ones come in bucket order
    url = sandbox_factory(version=version).url
    body = requests.post(f"{url}/api/schemas/dataElement", json={}, auth=ADMIN,
                         timeout=10).json()
    assert [(e["errorCode"], e["errorProperty"]) for e in body["response"]["errorReports"]] == [
        ("E4000", "aggregationType"), ("E4000", "domainType"), ("E4000", "valueType"),
        ("E4000", "name"), ("E4000", "shortName")]


def test_validate_mixes_the_codes_in_the_property_map_order(sandbox_factory) -> None:
    # one flat list in Schema#getProperties order, whatever the error code: 2.43.1 registers
    # MapView (123 properties, 256 buckets), whose colorHigh comes after the required
    # renderingStrategy and layer
    url = sandbox_factory(version="2.43").url
    body = requests.post(f"{url}/api/schemas/mapView", json={"colorHigh": "red"}, auth=ADMIN,
                         timeout=10).json()
    assert [(e["errorCode"], e["errorProperty"]) for e in body["response"]["errorReports"]] == [
        ("E4000", "renderingStrategy"), ("E4000", "layer"), ("E4006", "colorHigh")]


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_property_map_is_sized_with_the_schema_entry(sandbox_factory, version: str) -> None:
    # DefaultSchemaService#init copies the introspected map with its `__schema__` entry (the
    # class's root annotation, JacksonPropertyIntrospector#introspect) and removes it after
    # (#updateSelf): ProgramRuleVariable's 23 properties and that entry take 64 buckets on
    # JDK 17 (2.41, 2.42), which puts id before name; JDK 21's HashMap(Map) sizes the copy
    # ceil(24 / 0.75) = 32 (2.43, JDK-8281631), name before id. A file resource's three
    # required properties likewise.
    url = sandbox_factory(version=version).url
    body = requests.post(f"{url}/api/schemas/programRuleVariable", auth=ADMIN, timeout=10,
                         json={"id": "x" * 12, "name": "x" * 231}).json()
    lengths = [("E4001", "id"), ("E4001", "name")]
    assert [(e["errorCode"], e["errorProperty"]) for e in body["response"]["errorReports"]] == [
        ("E4000", "programRuleVariableSourceType"), ("E4000", "program"),
        *(lengths if version != "2.43" else lengths[::-1])]
    files = requests.post(f"{url}/api/schemas/fileResource", auth=ADMIN, timeout=10,
                          json={}).json()
    assert [e["errorProperty"] for e in files["response"]["errorReports"]] == (
        ["contentMd5", "name", "contentType"] if version == "2.43"
        else ["contentMd5", "contentType", "name"])
