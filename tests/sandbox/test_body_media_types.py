"""Which request bodies each release reads in which media type: the converters of a
`@RequestBody` bean (`sandbox/core/body_converters.py`) and the `consumes` of the handlers that
read the stream themselves."""

from __future__ import annotations

import json

import pytest
import requests

from tests.sandbox.helpers import ADMIN, seeded_user

SPRING5 = {"2.41": True, "2.42": False, "2.43": False}


def _send(url: str, method: str, path: str, body: str, content_type: str | None,
          accept: str = "*/*") -> requests.Response:
    headers = {"Content-Type": content_type, "Accept": accept} if content_type else {}
    return requests.request(method, f"{url}{path}", data=body.encode(), auth=ADMIN, timeout=10,
                            headers=headers)


def _unsupported(version: str, shown: str) -> str:
    if SPRING5[version]:
        return f"Content type '{shown}' not supported"
    return f"Content-Type '{shown}' is not supported"


def _refusal(response: requests.Response) -> tuple[int, str | None]:
    return response.status_code, response.json().get("message")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
@pytest.mark.parametrize("path", ["/api/aggregateDataExchanges/exchange", "/api/potentialDuplicates"])
def test_a_request_body_bean_is_read_by_the_json_converter_only(sandbox_factory, version: str,
                                                                path: str) -> None:
    # no `consumes`: the Jackson XML converter reads only below WebMvcConfig.XML_PATTERNS, so an
    # XML body (or any type but application/json, application/*+json) is Spring's 415
    url = sandbox_factory(version=version).url
    for given, shown in (("application/xml", "application/xml"), ("text/xml", "text/xml"),
                         ("Application/XML; charset=UTF-8", "application/xml;charset=UTF-8"),
                         ("text/plain", "text/plain")):
        assert _refusal(_send(url, "POST", path, "<x/>", given)) == (
            415, _unsupported(version, shown)), given
    # no Content-Type: read as application/octet-stream, unless there is no body either
    assert _refusal(_send(url, "POST", path, "{}", None)) == (
        415, _unsupported(version, "application/octet-stream"))
    missing = _send(url, "POST", path, "", None)
    assert missing.status_code == 400
    assert missing.json()["message"].startswith("Required request body is missing")
    # a type the converter reads goes on to the body: `application/*+json` too
    unreadable = _send(url, "POST", path, "<x/>", "application/vnd.test+json")
    assert unreadable.status_code == 400
    assert unreadable.json()["message"].startswith("JSON parse error: Unexpected character ('<'")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_tracker_import_consumes_json_or_csv(sandbox_factory, version: str) -> None:
    # TrackerImportController's mappings consume JSON or CSV: XML is a 415 before any parameter
    # is bound (an unknown importStrategy included)
    url = sandbox_factory(version=version).url
    for given, shown in (("application/xml", "application/xml"), ("text/xml", "text/xml"),
                         ("text/plain;charset=UTF-8", "text/plain;charset=UTF-8")):
        assert _refusal(_send(url, "POST", "/api/tracker?importStrategy=NOPE", "<x/>", given)) == (
            415, _unsupported(version, shown)), given


@pytest.mark.parametrize("version", ["2.42", "2.43"])
@pytest.mark.parametrize("kind", ["enrollments", "events"])
def test_the_note_endpoints_consume_json(sandbox_factory, version: str, kind: str) -> None:
    # `consumes = APPLICATION_JSON_VALUE`: the 415 comes before the path's UID is bound
    url = sandbox_factory(version=version).url
    for given in ("application/xml", "text/xml"):
        assert _refusal(_send(url, "POST", f"/api/tracker/{kind}/not-a-uid/note", "<x/>", given)) == (
            415, _unsupported(version, given))


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_the_collection_lists_consume_json(sandbox_factory, version: str, method: str) -> None:
    # #addCollectionItemsJson and its siblings consume application/json; 2.41's XML twins take
    # application/xml only (not text/xml). The 415 comes before the object's 404.
    url = sandbox_factory(version=version).url
    path = "/api/dataElementGroups/NoSuchGroup/dataElements"
    refused = ["text/xml", "text/plain"] + ([] if version == "2.41" else ["application/xml"])
    for given in refused:
        assert _refusal(_send(url, method, path, "<x/>", given)) == (
            415, _unsupported(version, given)), given
    none = _send(url, method, path, "", None)
    assert _refusal(none) == (415, "Content type '' not supported" if SPRING5[version]
                              else "Content-Type is not supported")
    assert _send(url, method, path, "{}", "application/json").status_code == 404


NOT_READ = "XML bodies are not read by the sandbox; send JSON"
GROUP = {"name": "Media group", "shortName": "Media group"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_xml_twins_of_2_41_are_refused_where_they_read(sandbox_factory, version: str) -> None:
    # 2.41.9 AbstractCrudController#postXmlObject / #putXmlObject (application/xml, text/xml) and
    # #…CollectionItemsXml (application/xml) hand the stream to DefaultRenderService#fromXml: the
    # sandbox reads no XML and says so where the twin reads (a PUT after the lookup and the
    # update check); 2.42.5 / 2.43.1 map JSON only, so XML is their `consumes` 415
    url = sandbox_factory(version=version).url
    created = requests.post(f"{url}/api/dataElementGroups", json=GROUP, auth=ADMIN, timeout=10)
    assert created.status_code == 201, created.text
    group = created.json()["response"]["uid"]
    cases = [("POST", "/api/dataElementGroups", "text/xml"),
             ("POST", "/api/users", "application/xml"),
             ("PUT", f"/api/dataElementGroups/{group}", "application/xml"),
             ("PUT", "/api/users/NoSuchUser1", "text/xml"),
             ("POST", f"/api/dataElementGroups/{group}/dataElements", "application/xml"),
             ("PUT", f"/api/dataElementGroups/{group}/dataElements", "application/xml"),
             ("DELETE", f"/api/dataElementGroups/{group}/dataElements", "application/xml")]
    for method, path, given in cases:
        expected = NOT_READ if version == "2.41" else _unsupported(version, given)
        # UserController#putXmlObject produces XML: only an Accept taking it reaches it
        # (`core/produces.py`)
        accept = "application/xml" if path.startswith("/api/users/") else "*/*"
        assert _refusal(_send(url, method, path, "<x/>", given, accept)) == (415, expected), (
            method, path)
    # #putXmlObject looks the object up first
    missing = _send(url, "PUT", "/api/dataElementGroups/NoSuchGroup", "<x/>", "application/xml")
    assert missing.status_code == (404 if version == "2.41" else 415)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_api_token_xml_twin_of_2_41_refuses_the_method(sandbox_factory, version: str) -> None:
    # 2.41.9 ApiTokenController#postXmlObject throws HttpRequestMethodNotSupportedException
    # ("Method type is not supported"), Spring 5's "Request method '…' not supported", 405
    url = sandbox_factory(version=version).url
    for given in ("application/xml", "text/xml"):
        expected = ((405, "Request method 'Method type is not supported' not supported")
                    if version == "2.41" else (415, _unsupported(version, given)))
        assert _refusal(_send(url, "POST", "/api/apiToken", "<x/>", given)) == expected


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_data_value_set_import_consumes_its_five_media_types(sandbox_factory, version: str) -> None:
    # DataValueSetController maps XML, ADX ("application/adx+xml; charset=UTF-8"), JSON, CSV and
    # PDF: another media type (or none) is the mapping's 415; the sandbox reads JSON only. The
    # ADX charset must match on Spring 6 (2.42+, `#matchParameters`), not on Spring 5 (2.41)
    url = sandbox_factory(version=version).url
    path = "/api/dataValueSets"
    for given, shown in (("text/plain", "text/plain"), ("text/xml", "text/xml")):
        assert _refusal(_send(url, "POST", path, "<x/>", given)) == (
            415, _unsupported(version, shown)), given
    other_charset = _refusal(_send(url, "POST", path, "<x/>",
                                   "application/adx+xml; charset=ISO-8859-1"))
    assert other_charset == ((415, NOT_READ) if version == "2.41" else (
        415, _unsupported(version, "application/adx+xml;charset=ISO-8859-1")))
    assert _send(url, "POST", path, "{}", None).status_code == 415
    for given in ("application/xml", "application/adx+xml", "application/adx+xml;charset=utf-8"):
        assert _refusal(_send(url, "POST", path, "<x/>", given)) == (415, NOT_READ), given
    assert _refusal(_send(url, "POST", path, "a,b", "application/csv")) == (
        415, "CSV data value import is not implemented by the sandbox; send JSON")
    assert _send(url, "POST", path, '{"dataValues": []}', "application/json").status_code == 200


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_user_put_whose_accept_takes_no_produced_type_is_406(sandbox_factory,
                                                               version: str) -> None:
    # UserController#putJsonObject maps `produces = application/json` (2.41.9 :593-596, 2.42.5
    # :618-621, 2.43.1 :573-576), 2.41.9's #putXmlObject `produces = application/xml`
    # (:576-579): an Accept that takes neither matches no handler, a 406 before the body is
    # read. CrudControllerAdvice's WebMessage can only be written as JSON; when the Accept
    # takes no JSON either, DefaultHandlerExceptionResolver sends the 406 to Tomcat's page.
    running = sandbox_factory(version=version)
    uid = seeded_user(running, "group.leader")["id"]
    path = f"{running.url}/api/users/{uid}"
    account = requests.get(path, params={"fields": ":owner"}, auth=ADMIN, timeout=10).json()
    changed = json.dumps({**account, "firstName": "Nobody"})

    def put(body: str, content_type: str, accept: str | None) -> requests.Response:
        return requests.put(path, data=body.encode(), auth=ADMIN, timeout=10,
                            headers={"Content-Type": content_type, "Accept": accept})

    for accept in ("application/xml", "text/plain", "application/xml, text/html;q=0.9", "x"):
        refused = put(changed, "application/json", accept)
        assert refused.status_code == 406, (accept, refused.text)
        assert refused.headers["Content-Type"] == "text/html;charset=utf-8", accept
        if SPRING5[version]:
            assert "<b>Message</b>" not in refused.text and "Accept" not in refused.headers
        else:
            # Tomcat escapes the detail (`Escape#htmlElementContent`: `/` → `&#47;`)
            assert ("<p><b>Message</b> Acceptable representations: [application&#47;json].</p>"
                    in refused.text), accept
            assert refused.headers["Accept"] == "application/json"
    message = ("Could not find acceptable representation" if SPRING5[version]
               else "No acceptable representation")
    # an Accept that takes JSON only beside another type: the advice's WebMessage
    jsonable = put("<user/>", "application/xml", "application/json")
    if version == "2.41":
        # only #putXmlObject reads XML, and it produces XML: no Accept and `*/*` are JSON
        for accept in ("application/json", "*/*", None):
            answer = put("<user/>", "application/xml", accept)
            assert answer.status_code == 406, (accept, answer.text)
            assert answer.json() == {"httpStatus": "Not Acceptable", "httpStatusCode": 406,
                                     "status": "ERROR", "message": message}, accept
        assert put("<user/>", "text/xml", "application/xml").json()["message"] == NOT_READ
    else:
        assert (jsonable.status_code, jsonable.json()["message"]) == (
            415, "Content-Type 'application/xml' is not supported")
    stored = requests.get(path, params={"fields": "firstName"}, auth=ADMIN, timeout=10).json()
    assert stored["firstName"] == account["firstName"]
    for accept in ("application/xml, */*;q=0.1", "application/*", None):
        assert put(changed, "application/json", accept).status_code == 200, accept
