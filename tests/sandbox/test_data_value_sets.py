"""GET /api/dataValueSets: which filter error each release answers (2.41.9/2.42.5
DefaultDataValueSetService#validate, the last failing rule wins; 2.43.1
DefaultDataExportService#validateFilters, the first failure, without lastUpdated as a period)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests

from scdi.sandbox.server import RunningSandbox
from scdi.upstream.releases import RELEASES
from tests.sandbox.helpers import ADMIN, post_metadata, seeded_user, written_new

DE = "deT3int0001"
UNIT = "@unit"  # a seeded org unit, looked up per server
PERIOD = {"period": "202401", "startDate": "2024-01-01", "endDate": "2024-01-31"}
# What the filters name: 2.41.9/2.42.5 count only ids IdentifiableObjectManager#getObjects finds
FILTERED = {
    "dataElements": [{"id": DE, "name": "Export filter", "shortName": "Export filter",
                      "valueType": "INTEGER", "domainType": "AGGREGATE",
                      "aggregationType": "SUM"}],
    "organisationUnitGroups": [{"id": "ougT3grp001", "name": "Export filter group",
                                "shortName": "Export filter group"}],
}


def _seeded_unit(url: str) -> str:
    """Posts the filters' metadata (again: an update) and answers a seeded org unit."""
    assert post_metadata(url, FILTERED).status_code == 200
    return str(requests.get(f"{url}/api/organisationUnits", params={"fields": "id"}, auth=ADMIN,
                            timeout=10).json()["organisationUnits"][0]["id"])

# (query, answer on 2.41 and 2.42, answer on 2.43); an answer is an error code or 200
CASES = [
    ({}, "E2006", "E2001"),
    ({"dataElement": DE}, "E2006", "E2002"),
    ({"dataElement": DE, "orgUnit": UNIT}, "E2002", "E2002"),
    ({"dataElement": DE, "orgUnit": UNIT, "lastUpdated": "2020-01-01"}, 200, "E2002"),
    ({"dataElement": DE, "orgUnit": UNIT, "lastUpdatedDuration": "1d"}, 200, "E2002"),
    ({"dataElement": DE, "orgUnit": UNIT, "lastUpdatedDuration": "1w"}, "E2005", "E2002"),
    ({"dataElement": DE, **PERIOD, "children": "true"}, "E2008", "E2006"),
    # 2.41.9/2.42.5 #getFromUrl reads the dates only without periods: never E2003 there
    ({"dataElement": DE, **PERIOD, "orgUnit": UNIT}, 200, "E2003"),
    ({"dataElement": DE, "startDate": "2024-02-01", "endDate": "2024-01-31", "orgUnit": UNIT},
     "E2004", "E2004"),
    ({"dataElement": DE, "period": "202401", "startDate": "2024-02-01",
      "endDate": "2024-01-31", "orgUnit": UNIT}, 200, "E2003"),
    ({"dataElement": DE, "startDate": "2024-01-31T10:00", "endDate": "2024-01-31",
      "orgUnit": UNIT}, "E2004", "E2004"),
    ({"dataElement": DE, "startDate": "2024-02-01", "endDate": "2024-01-31", "orgUnit": UNIT,
      "lastUpdatedDuration": "1w"}, "E2005", "E2004"),
    ({"dataElement": DE, "period": "202401", "orgUnit": UNIT, "limit": "-1"}, "E2009", "E2009"),
    ({"dataElement": DE, "orgUnit": UNIT, "limit": "-1"}, "E2009", "E2002"),
    ({"dataElement": DE, "period": "202401", "orgUnit": UNIT, "orgUnitGroup": "ougT3grp001",
      "children": "true", "limit": "-1"}, "E2009", "E2007"),
    ({"dataElement": DE, "period": "202401", "orgUnit": UNIT, "orgUnitGroup": "ougT3grp001",
      "children": "true"}, "E2007", "E2007"),
    ({"dataElement": DE, "period": "202401", "orgUnitGroup": "ougT3grp001", "children": "true"},
     "E2008", "E2007"),
]


@pytest.mark.parametrize(("query", "legacy", "first_failure"), CASES)
def test_filter_errors_per_release(release_sandbox: tuple[str, RunningSandbox],
                                   query: dict[str, str], legacy: str | int,
                                   first_failure: str | int) -> None:
    version, running = release_sandbox
    unit = _seeded_unit(running.url)
    params = {k: unit if v == UNIT else v for k, v in query.items()}
    response = requests.get(f"{running.url}/api/dataValueSets", params=params, auth=ADMIN,
                            timeout=10)
    expected = first_failure if version == "2.43" else legacy
    if expected == 200:
        assert response.status_code == 200 and response.json() == {"dataValues": []}
        return
    body = response.json()
    assert (response.status_code, body["status"], body["errorCode"]) == (409, "ERROR", expected)


def test_a_negative_limit_is_named_before_2_43_only(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # 2.41.9/2.42.5 `new ErrorMessage(ErrorCode.E2009, params.getLimit())`: MessageFormat groups
    # the Integer; 2.43.1 `new ConflictException(ErrorCode.E2009)` passes no argument
    version, running = release_sandbox
    unit = _seeded_unit(running.url)
    response = requests.get(f"{running.url}/api/dataValueSets", auth=ADMIN, timeout=10, params={
        "dataElement": DE, "period": "202401", "orgUnit": unit, "limit": "-1000"})
    limit = "{0}" if version == "2.43" else "-1,000"
    assert (response.status_code, response.json()["message"]) == (
        409, f"Limit cannot be less than zero: `{limit}`")


def test_the_periods_win_over_the_dates_before_2_43(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # 2.41.9 (:217-223) / 2.42.5 (:218-224) #getFromUrl sets the start and end dates only when
    # no period is given: dates that leave the period out filter nothing there
    version, running = release_sandbox
    if version == "2.43":
        pytest.skip("2.43.1 validateFilters refuses periods with dates (E2003)")
    unit = _seeded_unit(running.url)
    try:
        posted = requests.post(f"{running.url}/api/dataValueSets", auth=ADMIN, timeout=10, json={
            "dataValues": [{"dataElement": DE, "period": "202401", "orgUnit": unit, "value": "7"}]})
        assert posted.status_code == 200, posted.text
        response = requests.get(f"{running.url}/api/dataValueSets", auth=ADMIN, timeout=10,
                                params={"dataElement": DE, "period": "202401", "orgUnit": unit,
                                        "startDate": "2023-01-01", "endDate": "2023-01-31"})
        assert response.status_code == 200
        assert [v["value"] for v in response.json()["dataValues"]] == ["7"]
    finally:
        running.reset()  # the module's server is shared: leave no value behind


def test_a_period_id_is_read_as_its_period(release_sandbox: tuple[str, RunningSandbox]) -> None:
    # 2.41.9/2.42.5 PeriodService#reloadIsoPeriods drops an id no period type reads (alone:
    # E2002, and the dates given with it are still not read); 2.43.1 #decodePeriods' Period::of
    # refuses it (IllegalArgumentException, 400 without errorCode). A read id is its period.
    version, running = release_sandbox
    unit = _seeded_unit(running.url)
    url = f"{running.url}/api/dataValueSets"
    bad = requests.get(url, auth=ADMIN, timeout=10, params={
        "dataElement": DE, "period": "nope", "startDate": "2024-01-01", "endDate": "2024-01-31",
        "orgUnit": unit})
    if version == "2.43":
        assert (bad.status_code, bad.json()["message"]) == (
            400, "Invalid Period `nope`, failed to create date interval")
        assert "errorCode" not in bad.json()
    else:
        assert (bad.status_code, bad.json()["errorCode"]) == (409, "E2002")
    try:
        posted = requests.post(url, auth=ADMIN, timeout=10, json={
            "dataValues": [{"dataElement": DE, "period": "202401", "orgUnit": unit, "value": "7"}]})
        assert posted.status_code == 200, posted.text
        found = requests.get(url, auth=ADMIN, timeout=10, params={
            "dataElement": DE, "period": "2024-01", "orgUnit": unit})
        assert [v["period"] for v in found.json()["dataValues"]] == ["202401"]
    finally:
        running.reset()


def test_an_unreadable_duration_keeps_its_placeholder(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # `new ErrorMessage(ErrorCode.E2005)` passes no argument to "Duration is not valid: `{0}`"
    version, running = release_sandbox
    if version == "2.43":
        pytest.skip("2.43.1 validateFilters has no E2005")
    unit = _seeded_unit(running.url)
    response = requests.get(f"{running.url}/api/dataValueSets", auth=ADMIN, timeout=10, params={
        "dataElement": DE, "period": "202401", "orgUnit": unit, "lastUpdatedDuration": "soon"})
    assert response.json()["message"] == "Duration is not valid: `{0}`"


@pytest.mark.parametrize("dropped", ["dataSet", "dataElement", "orgUnit"])
def test_unknown_filter_ids_are_dropped_before_2_43(release_sandbox: tuple[str, RunningSandbox],
                                                    dropped: str) -> None:
    # 2.41.9/2.42.5 DefaultDataValueSetService#getFromUrl reads the ids through
    # IdentifiableObjectManager#getObjects, which leaves the unknown ones out: the filter is
    # then missing (E2001, E2006 for org units), never "not found". 2.43.1
    # DefaultDataExportService#decodeIds keeps them as UIDs, which match nothing.
    version, running = release_sandbox
    params = {"dataElement": DE, "period": "202401", "orgUnit": _seeded_unit(running.url)}
    if dropped == "dataSet":
        del params["dataElement"]
    params[dropped] = "nope0000001"
    response = requests.get(f"{running.url}/api/dataValueSets", params=params, auth=ADMIN,
                            timeout=10)
    if version == "2.43":
        assert (response.status_code, response.json()) == (200, {"dataValues": []})
        return
    body = response.json()
    expected = "E2006" if dropped == "orgUnit" else "E2001"
    assert (response.status_code, body["errorCode"]) == (409, expected), body


def test_import_conflicts_name_their_objects_as_the_validator_does(
        fresh_sandbox: RunningSandbox) -> None:
    # ImportConflict#createConflict (2.41.9, 2.42.5): identifiable objects keyed by their schema
    # singular name, the descriptor's property written (DataValueImportConflict,
    # DataValueSetImportConflict), an I18n argument keyed by the property and translated for
    # the message (i18n_global.properties); ImportSummary#addConflict merges the conflicts of
    # one grouping key (code and objects) into one with every index, and a set-level one has
    # no indexes (null, left out).
    url = fresh_sandbox.url
    post_metadata(url, {"dataElements": [{
        "id": "deConflict1", "name": "Số lượt", "shortName": "Số lượt", "valueType": "NUMBER",
        "domainType": "AGGREGATE", "aggregationType": "SUM"}]})
    unit = requests.get(f"{url}/api/organisationUnits", params={"fields": "id"}, auth=ADMIN,
                        timeout=10).json()["organisationUnits"][0]["id"]
    body = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=10, json={"dataValues": [
        {"dataElement": "deConflict1", "period": "202401", "orgUnit": unit, "value": "abc"},
        {"dataElement": "deConflict1", "period": "202401", "orgUnit": "noSuchOU01", "value": "1"},
        {"dataElement": "deConflict1", "period": "202401", "orgUnit": unit, "value": "1",
         "attributeOptionCombo": "noSuchAOC01"},
        {"dataElement": "deConflict1", "period": "202402", "orgUnit": "noSuchOU01", "value": "2"}]
    }).json()
    assert body["response"]["conflicts"] == [
        {"object": "deConflict1", "objects": {"dataElement": "deConflict1",
                                              "value": "value_not_numeric"},
         "value": "Value must match value type of data element `deConflict1`: "
                  "`Data value is not numeric`",
         "errorCode": "E7619", "property": "value", "indexes": [0]},
        {"object": "noSuchOU01", "objects": {"organisationUnit": "noSuchOU01"},
         "value": "Organisation unit not found or not accessible: `noSuchOU01`",
         "errorCode": "E7612", "property": "orgUnit", "indexes": [1, 3]},
        {"object": "noSuchAOC01", "objects": {"categoryOptionCombo": "noSuchAOC01"},
         "value": "Attribute option combo not found or not accessible for writing data: "
                  "`noSuchAOC01`",
         "errorCode": "E7615", "property": "attributeOptionCombo", "indexes": [2]}]
    aborted = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=10, json={
        "orgUnit": "noSuchOU01", "dataValues": []}).json()
    assert aborted["response"]["conflicts"] == [
        {"object": "noSuchOU01", "objects": {"organisationUnit": "noSuchOU01", "dataSet": None},
         "value": "Org unit not found or not accessible: `noSuchOU01`", "errorCode": "E7603",
         "property": "orgUnit"}]


@pytest.mark.parametrize("version", ["2.41", "2.42"])
def test_numeric_values_are_matched_whole_with_ascii_digits(sandbox_factory, version: str) -> None:
    # MathUtils#isInteger / #isNumeric: `Matcher#matches` of INT_PATTERN / NUMERIC_REGEXP takes
    # the whole value (Java's `$` before a final line break does not end it) and Java's `\d` is
    # ASCII only; NUMERIC_REGEXP has no exponent. Each is E7619. A period's digits are ASCII
    # too (DateUnitType's patterns): E7611.
    running: RunningSandbox = sandbox_factory(version=version)
    url = running.url
    post_metadata(url, {"dataElements": [
        {"id": "deRegexInt1", "name": "Số nguyên", "shortName": "Số nguyên",
         "valueType": "INTEGER", "domainType": "AGGREGATE", "aggregationType": "SUM"},
        {"id": "deRegexNum1", "name": "Số thực", "shortName": "Số thực",
         "valueType": "NUMBER", "domainType": "AGGREGATE", "aggregationType": "SUM"}]})
    unit = requests.get(f"{url}/api/organisationUnits", params={"fields": "id"}, auth=ADMIN,
                        timeout=10).json()["organisationUnits"][0]["id"]
    sent = [("deRegexInt1", "202401", "12\n"), ("deRegexInt1", "202402", "\u0661\u0662"),
            ("deRegexInt1", "202403", "3000000000"), ("deRegexNum1", "202401", "1.5\n"),
            ("deRegexNum1", "202402", "1e5"), ("deRegexNum1", "202403", "\u0661.5"),
            ("deRegexInt1", "202404", "12"), ("deRegexNum1", "202404", "-0.5"),
            ("deRegexInt1", "\u0662\u0660\u0662\u0664\u0660\u0665", "5")]  # no period
    body = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=10, json={"dataValues": [
        {"dataElement": de, "period": pe, "orgUnit": unit, "value": value}
        for de, pe, value in sent]}).json()["response"]
    assert body["importCount"]["imported"] == 2, body
    assert [(c["errorCode"], c["objects"].get("value"), c["indexes"])
            for c in body["conflicts"]] == [
        ("E7619", "value_not_integer", [0, 1, 2]), ("E7619", "value_not_numeric", [3, 4, 5]),
        ("E7611", None, [8])]


_SOURCE = "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)"
_MISMATCH = "com.fasterxml.jackson.databind.exc.MismatchedInputException: "
_READ_FAILED = "The import process failed: "
# (body, 2.41.9's ImportSummary description after "The import process failed: ")
UNREADABLE_ON_2_41 = [
    (b"", f"{_MISMATCH}No content to map due to end-of-input\n at {_SOURCE}; line: 1]"),
    (b"[1,", f"{_MISMATCH}Cannot deserialize value of type "
             "`org.hisp.dhis.dxf2.datavalueset.DataValueSet` from Array value (token "
             f"`JsonToken.START_ARRAY`)\n at {_SOURCE}; line: 1, column: 1]"),
    (b'"x"', f"{_MISMATCH}Cannot construct instance of "
             "`org.hisp.dhis.dxf2.datavalueset.DataValueSet` (although at least one Creator "
             "exists): no String-argument constructor/factory method to deserialize from String "
             f"value ('x')\n at {_SOURCE}; line: 1, column: 1]"),
    (b"{x", "com.fasterxml.jackson.core.JsonParseException: Unexpected character ('x' (code "
            f"120)): was expecting double-quote to start field name\n at {_SOURCE}; line: 1, "
            "column: 2]"),
    # escapes are decoded in every string, read or skipped (UTF8StreamJsonParser#_decodeEscaped)
    (b'{"a": "\\q"}', "com.fasterxml.jackson.core.JsonParseException: Unrecognized character "
                     f"escape 'q' (code 113)\n at {_SOURCE}; line: 1, column: 9]"),
    # a syntax error inside the `dataValues` list is wrapped with the property's reference
    # (BeanDeserializer#wrapAndThrow), as jackson-databind 2.21 answers it
    (b'{"dataValues": [}', "com.fasterxml.jackson.databind.JsonMappingException: Unexpected close "
                           f"marker '}}': expected ']' (for Array starting at {_SOURCE}; line: 1, "
                           f"column: 16])\n at {_SOURCE}; line: 1, column: 17] (through reference "
                           'chain: org.hisp.dhis.dxf2.datavalueset.DataValueSet["dataValues"])'),
    (b'{"a": 1,', "com.fasterxml.jackson.core.JsonParseException: Unexpected end-of-input "
                  f"within/between Object entries\n at {_SOURCE}; line: 1, column: 9]"),
    # a number cut off: after '.' the '.' is the character in question, after a sign or 'e'
    # ParserMinimalBase#_reportInvalidEOF() names the current token (a member's: its name)
    (b'{"a": 1.', "com.fasterxml.jackson.core.JsonParseException: Unexpected character ('.' "
                  "(code 46)) in numeric value: Decimal point not followed by a digit\n at "
                  f"{_SOURCE}; line: 1, column: 8]"),
    (b'{"a": -', "com.fasterxml.jackson.core.io.JsonEOFException: Unexpected end-of-input in "
                 f"FIELD_NAME\n at {_SOURCE}; line: 1, column: 8]"),
    (b"null", 'Cannot invoke "org.hisp.dhis.dxf2.datavalueset.DataValueSet.'
              'getDataElementIdSchemeProperty()" because "data" is null'),
]


_SYNTAX = "com.fasterxml.jackson.core.JsonParseException: "
_PARSE_EOF = "com.fasterxml.jackson.core.io.JsonEOFException: "
_TOKENS = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
# jackson-core 2.21.2's words and locations, each read by running it on the body
JACKSON_SYNTAX = [
    (b'{"a": nul}', f"{_SYNTAX}Unrecognized token 'nul': was expecting {_TOKENS}\n at {_SOURCE}; "
                    "line: 1, column: 7]"),
    (b'{"a": [1}', f"{_SYNTAX}Unexpected close marker '}}': expected ']' (for Array starting at "
                   f"{_SOURCE}; line: 1, column: 7])\n at {_SOURCE}; line: 1, column: 9]"),
    (b'{"a": 1,', f"{_SYNTAX}Unexpected end-of-input within/between Object entries\n at "
                  f"{_SOURCE}; line: 1, column: 9]"),
    (b'{"a": NaN}', f"{_SYNTAX}Non-standard token 'NaN': enable "
                    "`JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow\n at "
                    f"{_SOURCE}; line: 1, column: 10]"),
    (b'{"a": +1}', f"{_SYNTAX}Unexpected character ('+' (code 43)) in numeric value: JSON spec "
                   "does not allow numbers to have plus signs: enable "
                   "`JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS` to allow\n at "
                   f"{_SOURCE}; line: 1, column: 8]"),
    (b'{"a": -', f"{_PARSE_EOF}Unexpected end-of-input in FIELD_NAME\n at {_SOURCE}; line: 1, "
                 "column: 8]"),
    (b'{"a": \x01}', f"{_SYNTAX}Illegal character ((CTRL-CHAR, code 1)): only regular white "
                     "space (\\r, \\n, \\t) is allowed between tokens\n at "
                     f"{_SOURCE}; line: 1, column: 8]"),
    (b'{"a": }', f"{_SYNTAX}Unexpected character ('}}' (code 125)): expected a value\n at "
                 f"{_SOURCE}; line: 1, column: 7]"),
]


@pytest.mark.parametrize(("raw", "description"), JACKSON_SYNTAX)
def test_syntax_errors_in_jacksons_words_and_places(
        release_sandbox: tuple[str, RunningSandbox], raw: bytes, description: str) -> None:
    # UTF8StreamJsonParser / ParserMinimalBase 2.21: #_reportUnexpectedChar at the character,
    # #_reportInvalidToken at the token's start, #_closeScope, #_skipWS2 after a comma,
    # #_handleUnexpectedValue, #_throwInvalidSpace; the summary as the previous test says
    version, running = release_sandbox
    if version == "2.43":
        pytest.skip("2.43.1 reads the body with json-tree")
    response = requests.post(f"{running.url}/api/dataValueSets", data=raw, auth=ADMIN,
                             headers={"Content-Type": "application/json"}, timeout=10)
    expected = description if version == "2.41" else "Post-condition was null"
    assert (response.status_code, response.json()["response"]["description"]) == (
        409, _READ_FAILED + expected)


@pytest.mark.parametrize(("raw", "description"), UNREADABLE_ON_2_41)
def test_an_unreadable_body_is_an_import_summary_on_2_41_and_2_42(
        release_sandbox: tuple[str, RunningSandbox], raw: bytes, description: str) -> None:
    # DefaultDataValueSetService#importDataValueSet reads the body itself and catches every
    # exception (2.41.9 :630, 2.42.5 :644); 2.42.5 reads the header in a JobProgress stage that
    # swallows the exception, so its post-condition names none (JobProgress :257).
    version, running = release_sandbox
    if version == "2.43":
        pytest.skip("2.43.1 reads the body with json-tree (next test)")
    response = requests.post(f"{running.url}/api/dataValueSets", data=raw, auth=ADMIN,
                             headers={"Content-Type": "application/json"}, timeout=10)
    body = response.json()
    expected = description if version == "2.41" else "Post-condition was null"
    assert (response.status_code, body["status"], body.get("errorCode")) == (409, "ERROR", None)
    assert body["message"] == "An error occurred, please check import summary."
    summary = body["response"]
    assert summary["description"] == _READ_FAILED + expected
    assert (summary["status"], summary["conflicts"], "dataSetComplete" in summary) == (
        "ERROR", [], False)
    assert summary["importCount"] == {"imported": 0, "updated": 0, "ignored": 0, "deleted": 0}


# (body, 2.43.1's answer: status and message, or 200 for a set without values)
UNREADABLE_ON_2_43: list[tuple[bytes, int, str | None]] = [
    (b"", 400, "Unexpected character at position 0,\n\n^ expected a JSON value but found EOI"),
    (b" \n", 400, "Unexpected character at position 2,\n \n\n  ^ expected a JSON value but "
                  "found EOI"),
    (b"}", 400, "Unexpected character at position 0,\n}\n^ expected start of a JSON value but "
                "found: `}`"),
    (b"{x", 400, 'Unexpected character at position 1,\n{x\n ^ expected `"`'),
    (b'{"dataValues": [1 2]}', 400, "Unexpected character at position 18,\n"
                                    '{"dataValues": [1 2]}\n                  ^ expected `]`'),
    (b'{"a": "b\\q"}', 400, 'Unexpected character at position 9,\n{"a": "b\\q"}\n'
                            "         ^ expected Illegal escaped string character: q"),
    (b'{"a": 1', 500, "Index 7 out of bounds for length 7"),
    (b"[1,", 200, None),
    (b"nope", 200, None),
    (b'{"a": 1,', 200, None),
]


@pytest.mark.parametrize(("raw", "status", "message"), UNREADABLE_ON_2_43)
def test_an_unreadable_body_leaves_the_controller_on_2_43(
        release_sandbox: tuple[str, RunningSandbox], raw: bytes, status: int,
        message: str | None) -> None:
    # DataEntryInput#fromJson (2.43.1 :230-234) reads json-tree's lazy tree; the transitory
    # progress rethrows the recorded exception: a JsonFormatException 400 without errorCode
    # (CrudControllerAdvice#illegalArgumentExceptionHandler :521-526), an unchecked index 500.
    # A root that is no object, or an object cut off after a comma, has no members to import.
    version, running = release_sandbox
    if version != "2.43":
        pytest.skip("2.41.9 and 2.42.5 answer an ImportSummary (previous test)")
    response = requests.post(f"{running.url}/api/dataValueSets", data=raw, auth=ADMIN,
                             headers={"Content-Type": "application/json"}, timeout=10)
    body = response.json()
    if status == 200:
        assert (response.status_code, body["response"]["status"]) == (200, "SUCCESS")
        assert body["response"]["importCount"]["imported"] == 0
        return
    assert (response.status_code, body["status"], body.get("errorCode"), body["message"]) == (
        status, "ERROR", None, message)


_PARSE = "com.fasterxml.jackson.core.JsonParseException: "
_WRAPPED = "com.fasterxml.jackson.databind.JsonMappingException: "
_SET = "org.hisp.dhis.dxf2.datavalueset.DataValueSet"
_BAD_ESCAPE = "Unrecognized character escape 'q' (code 113)"
_BAD_HEX = ("Unexpected character ('z' (code 122)): expected a hex-digit for character escape "
            "sequence")
# (body, 2.41.9's description after "The import process failed: ", 2.43.1's status and message,
# None for a set without values); read with jackson-core 2.21.2 / jackson-databind 2.21.0
BAD_ESCAPES: list[tuple[bytes, str, int, str | None]] = [
    (b'{"a": "\\q"}', f"{_PARSE}{_BAD_ESCAPE}\n at {_SOURCE}; line: 1, column: 9]",
     400, 'Unexpected character at position 8,\n{"a": "\\q"}\n        ^ expected Illegal '
          "escaped string character: q"),
    (b'{"a": "\\u00zz"}', f"{_PARSE}{_BAD_HEX}\n at {_SOURCE}; line: 1, column: 12]", 200, None),
    (b'{"a": 01}', f"{_PARSE}Invalid numeric value: Leading zeroes not allowed\n at {_SOURCE}; "
                   "line: 1, column: 8]", 200, None),
    (b'{"dataSet": "\\q"}', f"{_WRAPPED}{_BAD_ESCAPE}\n at {_SOURCE}; line: 1, column: 15] "
                            f'(through reference chain: {_SET}["dataSet"])',
     400, 'Unexpected character at position 14,\n{"dataSet": "\\q"}\n              ^ expected '
          "Illegal escaped string character: q"),
    (b'{"dataSet": "\\u00zz"}', f"{_WRAPPED}{_BAD_HEX}\n at {_SOURCE}; line: 1, column: 18] "
                                f'(through reference chain: {_SET}["dataSet"])',
     400, 'For input string: "00zz" under radix 16'),
    (b'{"dataValues": [{"value": "\\u00zz"}]}',
     f"{_WRAPPED}{_BAD_HEX}\n at {_SOURCE}; line: 1, column: 32] (through reference chain: "
     f'{_SET}["dataValues"]->java.util.ArrayList[0]->org.hisp.dhis.dxf2.datavalue.DataValue'
     '["value"])', 400, 'For input string: "00zz" under radix 16'),
    (b'{"dataValues": [{"zz": "\\q"}]}',
     f"{_WRAPPED}{_BAD_ESCAPE}\n at {_SOURCE}; line: 1, column: 26] (through reference chain: "
     f'{_SET}["dataValues"]->java.util.ArrayList[0])',
     400, 'Unexpected character at position 25,\naValues": [{"zz": "\\q"}]}\n                    ^ '
          "expected Illegal escaped string character: q"),
]


@pytest.mark.parametrize(("raw", "description", "status", "message"), BAD_ESCAPES)
def test_escapes_and_numbers_each_parser_refuses(
        release_sandbox: tuple[str, RunningSandbox], raw: bytes, description: str, status: int,
        message: str | None) -> None:
    # 2.41.9: UTF8StreamJsonParser#_decodeEscaped (an unknown escape, a non-hex digit, located
    # at the offending byte) inside DefaultDataValueSetService's catch (:628-630); wrapped with
    # the reference chain when a property's deserializer reads the string
    # (BeanDeserializer#wrapAndThrow). 2.42.5: the header stage's "Post-condition was null"
    # (:642-644, :674). 2.43.1: json-tree's #skipString checks only the letter after `\` and
    # hops over `\u`'s four characters, #skipNumber takes leading zeros; a string read
    # (`JsonString#string`) decodes `\u` with Integer#parseInt, an IllegalArgumentException.
    version, running = release_sandbox
    response = requests.post(f"{running.url}/api/dataValueSets", data=raw, auth=ADMIN,
                             headers={"Content-Type": "application/json"}, timeout=10)
    body = response.json()
    if version == "2.43":
        if message is None:
            assert (response.status_code, body["response"]["status"]) == (200, "SUCCESS")
            assert body["response"]["importCount"]["imported"] == 0
            return
        assert (response.status_code, body.get("errorCode"), body["message"]) == (
            status, None, message)
        return
    expected = description if version == "2.41" else "Post-condition was null"
    assert (response.status_code, body["response"]["description"]) == (
        409, _READ_FAILED + expected)


def test_an_aborted_set_has_no_completion(fresh_sandbox: RunningSandbox) -> None:
    # DefaultDataValueSetService#importDataValueSet returns the aborted summary before the
    # completion is handled, so its dataSetComplete stays null (not written); a set that
    # passes the data set checks says "false" without a completeDate.
    url = fresh_sandbox.url
    aborted = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=10, json={
        "orgUnit": "noSuchOU01", "dataValues": []}).json()["response"]
    assert aborted["description"] == "Import process was aborted"
    assert "dataSetComplete" not in aborted
    done = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=10,
                         json={"dataValues": []}).json()["response"]
    assert done["dataSetComplete"] == "false"


def test_the_filters_are_checked_before_access(release_sandbox: tuple[str, RunningSandbox]) -> None:
    # 2.41.9/2.42.5 DataValueSetController#getDataValueSet runs #validate (:212, :215) before
    # the export's own #decideAccess-then-#validate; 2.43.1 #exportGroup validateFilters
    # before validateAccess (:120-121). A data set the leader may see but not read data of,
    # and a province outside the leader's data view, are refused only once the filters pass.
    version, running = release_sandbox
    _seeded_unit(running.url)
    assert post_metadata(running.url, {"dataSets": [{
        "id": "dsNoData001", "name": "Metadata only", "shortName": "Metadata only",
        "periodType": "Monthly", "sharing": {"public": "r-------"}}]}).status_code == 200
    units = requests.get(f"{running.url}/api/organisationUnits", auth=ADMIN, timeout=10,
                         params={"fields": "id", "filter": "level:eq:2", "paging": "false"})
    other = next(u["id"] for u in units.json()["organisationUnits"] if u["id"] != "EZUF33EB4dg")
    answers = [
        ("E2002", {"dataSet": "dsNoData001", "orgUnit": other}),
        ("E2001" if version == "2.43" else "E2002", {"orgUnit": other}),
        ("E2010", {"dataSet": "dsNoData001", "orgUnit": other, "period": "202401"}),
        ("E2012", {"dataElement": DE, "orgUnit": other, "period": "202401"}),
    ]
    for code, params in answers:
        response = requests.get(f"{running.url}/api/dataValueSets", params=params, timeout=10,
                                auth=("group.leader", "district"))
        assert (response.status_code, response.json().get("errorCode")) == (409, code), params


def test_2_43_refuses_every_unreadable_set_and_unit_outside_the_capture_units(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # 2.43.1 DefaultDataExportService#validateAccess (:445-474) throws E2010/E2012 with the whole
    # list of refused ids (ErrorCode :162/:164 `${ds:{0}}`, whose default `{0}` MessageFormat
    # fills with the List's toString); HibernateDataExportStore#getOrgUnitsNotInUserHierarchy
    # (:354-376) compares with the capture units (UserDetails#getUserOrgUnitIds). 2.41.9/2.42.5
    # #decideAccess: the first refused set, and the data view units (the leader's province).
    version, running = release_sandbox
    _seeded_unit(running.url)
    assert post_metadata(running.url, {"dataSets": [{
        "id": uid, "name": f"Metadata only {uid}", "shortName": f"Metadata only {uid}",
        "periodType": "Monthly", "sharing": {"public": "r-------"}}
        for uid in ("dsNoData001", "dsNoData002")]}).status_code == 200
    province = seeded_user(running, "group.leader")["dataViewOrganisationUnits"][0]["id"]
    leader = ("group.leader", "district")
    sets = requests.get(f"{running.url}/api/dataValueSets", auth=leader, timeout=10, params={
        "dataSet": ["dsNoData001", "dsNoData002"], "orgUnit": province, "period": "202401"})
    unit = requests.get(f"{running.url}/api/dataValueSets", auth=leader, timeout=10, params={
        "dataElement": DE, "orgUnit": province, "period": "202401"})
    if version == "2.43":
        assert (sets.status_code, sets.json()["errorCode"], sets.json()["message"]) == (
            409, "E2010", "User is not allowed to read data for data set(s): "
            "`[dsNoData001, dsNoData002]`")
        assert (unit.status_code, unit.json()["errorCode"], unit.json()["message"]) == (
            409, "E2012", f"User is not allowed to view org unit(s): `[{province}]`")
    else:
        assert (sets.status_code, sets.json()["errorCode"], sets.json()["message"]) == (
            409, "E2010", "User is not allowed to read data for data set: `dsNoData001`")
        assert unit.status_code == 200, unit.text


def test_2_43_reads_each_filter_id_as_a_uid(release_sandbox: tuple[str, RunningSandbox]) -> None:
    # 2.43.1 #decodeParams/#decodeIds (:348-418): no `inputUseCodeFallback`, so the scheme is
    # UID and UID::of refuses "notauid" before any filter check (400, no errorCode,
    # CrudControllerAdvice#illegalArgumentExceptionHandler); 2.41.9/2.42.5 drop the unknown id
    # (#getFromUrl), leaving no org unit: E2006.
    version, running = release_sandbox
    _seeded_unit(running.url)
    answer = requests.get(f"{running.url}/api/dataValueSets", auth=ADMIN, timeout=10, params={
        "dataElement": DE, "orgUnit": "notauid", "period": "202401"})
    if version == "2.43":
        assert answer.status_code == 400, answer.text
        assert "errorCode" not in answer.json()
        assert answer.json()["message"] == ("UID must be an alphanumeric string of 11 "
                                            "characters starting with a letter, but was: notauid")
    else:
        assert (answer.status_code, answer.json()["errorCode"]) == (409, "E2006")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
@pytest.mark.parametrize("value_type", ["NUMBER", "TEXT"])
def test_an_empty_value_is_no_value(sandbox_factory, version: str, value_type: str) -> None:
    # 2.41.9 / 2.42.5 read the body with the String deserializer EmptyStringToNullStdDeserializer
    # (JacksonObjectMapperConfig :150 / :158, JsonDataValueSetReader#readDataValueSet), so
    # `"value": ""` without a comment is DataValueEntry#isNullValue (2.41.9 :79-80, 2.42.5
    # :81-82): E7618 and the value ignored, whatever the value type. 2.43.1 keeps "" (json-tree,
    # DataEntryInput#fromJson :306) and DefaultDataEntryService#validateValues treats it as
    # empty too (:734, E8120 of the pipeline, which the sandbox answers with the 2.42 codes).
    running: RunningSandbox = sandbox_factory(version=version)
    url = running.url
    post_metadata(url, {"dataElements": [{
        "id": "deEmptyVal1", "name": "Ghi chú trống", "shortName": "Ghi chú trống",
        "valueType": value_type, "domainType": "AGGREGATE", "aggregationType": "NONE"}]})
    unit = requests.get(f"{url}/api/organisationUnits", params={"fields": "id"}, auth=ADMIN,
                        timeout=10).json()["organisationUnits"][0]["id"]
    response = requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=10, json={
        "dataValues": [{"dataElement": "deEmptyVal1", "period": "202401", "orgUnit": unit,
                        "value": "", "comment": ""}]})
    summary = response.json()["response"]
    assert response.status_code == 409
    assert summary["importCount"] == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 0}
    assert [(c["errorCode"], c["value"]) for c in summary["conflicts"]] == [
        ("E7618", "Data value or comment not specified for data element: `deEmptyVal1`")]


def _number_values(url: str, *values: tuple[str, str], **params: str) -> requests.Response:
    """Posts a NUMBER data element whose zeros are not significant and imports `values`
    (period, value) of it at a seeded org unit."""
    post_metadata(url, {"dataElements": [{
        "id": "deCountNum1", "name": "Số đếm", "shortName": "Số đếm", "valueType": "NUMBER",
        "domainType": "AGGREGATE", "aggregationType": "SUM", "zeroIsSignificant": False}]})
    unit = requests.get(f"{url}/api/organisationUnits", params={"fields": "id"}, auth=ADMIN,
                        timeout=10).json()["organisationUnits"][0]["id"]
    return requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=10, params=params,
                         json={"dataValues": [{"dataElement": "deCountNum1", "period": period,
                                               "orgUnit": unit, "value": value}
                                              for period, value in values]})


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_import_summary_is_counted_and_answered_as_each_release_does(sandbox_factory,
                                                                         version: str) -> None:
    # 2.41.9/2.42.5 WebMessageUtils#importSummary answers WARNING 409 "One more conflicts
    # encountered…" and DefaultDataValueSetService counts imported / updated / ignored, an
    # insignificant zero skipped; 2.43.1 (:171-181) answers WARNING 200 "Import completed with
    # warnings…", and DataEntrySummary#toImportSummary (:106-120) counts every written value
    # updated (the zero too), ERROR when no value was written, no description.
    url = sandbox_factory(version=version).url
    upserted = version == "2.43"
    mixed = _number_values(url, ("202401", "3"), ("202402", "0"), ("202403", "x"))
    body = mixed.json()
    assert (mixed.status_code, body["status"], body["message"]) == (
        (200, "WARNING", "Import completed with warnings, please check import summary.") if upserted
        else (409, "WARNING", "One more conflicts encountered, please check import summary."))
    summary = body["response"]
    assert (summary["status"], summary["rejectedIndexes"]) == ("WARNING", [2])
    assert summary["importCount"] == (
        {"imported": 0, "updated": 2, "ignored": 1, "deleted": 0} if upserted
        else {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0})
    assert ("description" in summary) == (not upserted)
    again = _number_values(url, ("202401", "3"), ("202403", "x")).json()["response"]
    assert again["importCount"] == (
        {"imported": 0, "updated": 1, "ignored": 1, "deleted": 0} if upserted
        else {"imported": 0, "updated": 0, "ignored": 2, "deleted": 0})
    refused = _number_values(url, ("202403", "x"))
    assert (refused.status_code, refused.json()["status"], refused.json()["response"]["status"]) == (
        (409, "ERROR", "ERROR") if upserted else (409, "WARNING", "WARNING"))
    deleted = _number_values(url, ("202401", "3"), importStrategy="DELETE").json()["response"]
    assert (deleted["status"], deleted["importCount"]) == (
        "SUCCESS", {"imported": 0, "updated": 0, "ignored": 0, "deleted": 1})


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_negative_zero_is_no_insignificant_zero(sandbox_factory, version: str) -> None:
    # ValidationUtils#dataValueIsZeroAndInsignificant reads MathUtils#isZero, the text against
    # ZERO_PATTERN `^0(\\.0*)?$` (2.41.9 :71/:380-382, 2.42.5 :73/:382-384): `0.0` is skipped
    # and deletes an existing value, `-0` and `-0.0` are imported and update one. 2.43.1 writes
    # each of them (`import_summary_upserted`).
    running: RunningSandbox = sandbox_factory(version=version)
    url = running.url
    upserted = version == "2.43"
    new = _number_values(url, ("202401", "-0"), ("202402", "-0.0"), ("202403", "0.0"))
    assert new.json()["response"]["importCount"] == (
        {"imported": 0, "updated": 3, "ignored": 0, "deleted": 0} if upserted
        else {"imported": 2, "updated": 0, "ignored": 0, "deleted": 0})
    _number_values(url, ("202404", "5"), ("202405", "5"))
    changed = _number_values(url, ("202404", "-0"), ("202405", "0.0")).json()["response"]
    assert changed["importCount"] == (
        {"imported": 0, "updated": 2, "ignored": 0, "deleted": 0} if upserted
        else {"imported": 0, "updated": 1, "ignored": 0, "deleted": 1})
    rows = running.store.conn.execute(
        "SELECT period, value FROM data_values WHERE data_element='deCountNum1' AND deleted=0 "
        "ORDER BY period").fetchall()
    assert [(r["period"], r["value"]) for r in rows] == (
        [("202401", "-0"), ("202402", "-0.0"), ("202403", "0.0"), ("202404", "-0"),
         ("202405", "0.0")] if upserted
        else [("202401", "-0"), ("202402", "-0.0"), ("202404", "-0")])


def _text_element(url: str) -> str:
    """Posts a TEXT data element and answers a seeded org unit the admin captures data for."""
    post_metadata(url, {"dataElements": [{
        "id": "deBoundTxt1", "name": "Ghi chú số", "shortName": "Ghi chú số",
        "valueType": "TEXT", "domainType": "AGGREGATE", "aggregationType": "NONE"}]})
    return str(requests.get(f"{url}/api/organisationUnits", params={"fields": "id"}, auth=ADMIN,
                            timeout=10).json()["organisationUnits"][0]["id"])


def _post_raw(url: str, raw: str) -> requests.Response:
    return requests.post(f"{url}/api/dataValueSets", data=raw.encode("utf-8"), auth=ADMIN,
                         headers={"Content-Type": "application/json"}, timeout=10)


def _stored(running: RunningSandbox) -> dict[str, tuple[str, str | None]]:
    rows = running.store.conn.execute(
        "SELECT period, value, comment FROM data_values WHERE data_element='deBoundTxt1' "
        "AND deleted=0").fetchall()
    return {r["period"]: (r["value"], r["comment"]) for r in rows}


@pytest.mark.parametrize("version", ["2.41", "2.42"])
def test_scalars_of_string_fields_are_bound_as_jackson_reads_them(sandbox_factory,
                                                                   version: str) -> None:
    # 2.41.9 / 2.42.5 JsonDataValueSetReader binds DataValue's String fields through
    # EmptyStringToNullStdDeserializer (JsonParser#getValueAsString): a number is its text as
    # written, a boolean `true`/`false`, an object or an array null (and the read goes on from
    # inside it: the next test); a period given as a number is its text.
    running: RunningSandbox = sandbox_factory(version=version)
    unit = _text_element(running.url)
    raw = ('{"orgUnit": "@unit", "dataValues": ['
           '{"dataElement": "deBoundTxt1", "period": 202401, "value": 1.50, "comment": true},'
           '{"dataElement": "deBoundTxt1", "period": 202402, "value": 1e5, "comment": 0},'
           '{"dataElement": "deBoundTxt1", "period": "202403", "value": -0, "comment": {}},'
           '{"dataElement": "deBoundTxt1", "period": "202404", "value": false, "comment": []}]}'.replace("@unit", unit))
    response = _post_raw(running.url, raw)
    assert response.json()["response"]["importCount"]["imported"] == 4, response.text
    assert _stored(running) == {"202401": ("1.50", "true"), "202402": ("1e5", "0"),
                                "202403": ("-0", None), "202404": ("false", None)}


@pytest.mark.parametrize("version", ["2.41", "2.42"])
def test_an_array_or_object_in_a_string_field_leaves_jackson_inside_it(sandbox_factory,
                                                                       version: str) -> None:
    # EmptyStringToNullStdDeserializer answers getValueAsString (null at `[` / `{`) and skips
    # nothing, so BeanDeserializer#vanillaDeserialize's nextFieldName() reads on from inside
    # the array or object, and CollectionDeserializer reads elements up to the next `]`.
    running: RunningSandbox = sandbox_factory(version=version)
    unit = _text_element(running.url)
    value = '{"dataElement": "deBoundTxt1", "period": "202401", "value": "a"}'

    def post(raw: str) -> dict[str, object]:
        response = _post_raw(running.url, raw.replace("@unit", unit).replace("@value", value))
        summary: dict[str, object] = response.json()["response"]
        return summary

    # `[]` in the set: its read ends at the `]`, the rest is never read: nothing imported
    summary = post('{"dataSet": [], "orgUnit": "@unit", "dataValues": [@value]}')
    assert summary["status"] == "SUCCESS" and summary["importCount"] == {
        "imported": 0, "updated": 0, "ignored": 0, "deleted": 0}, summary
    # `[]` in a value: that value ends at the `]`; the collection meets `"value"`, a value read
    # from there (no data element), then the next element
    summary = post('{"orgUnit": "@unit", "dataValues": [{"dataElement": "deBoundTxt1", '
                   '"period": "202402", "comment": [], "value": "b"}, @value]}')
    assert summary["importCount"] == {"imported": 1, "updated": 0, "ignored": 2, "deleted": 0}
    assert [(c["errorCode"], c["value"], c["indexes"]) for c in summary["conflicts"]] == [
        ("E7618", "Data value or comment not specified for data element: `deBoundTxt1`", [0]),
        ("E7610", "Data element not found or not accessible: `null`", [1])]
    # `["c"]` in a value: the value ends at "c", the collection at the array's `]`; the
    # value's remaining members are read into the set (its period) and the rest never
    summary = post('{"orgUnit": "@unit", "dataValues": [{"dataElement": "deBoundTxt1", '
                   '"value": "c", "comment": ["x"], "period": "202403"}, '
                   '{"dataElement": "deBoundTxt1", "period": "202405", "value": "e"}]}')
    assert summary["importCount"] == {"imported": 1, "updated": 0, "ignored": 0, "deleted": 0}
    # `{…}` in a value: its members are the value's, then `}` ends it; the collection meets
    # `"storedBy"`, a value read from there
    summary = post('{"orgUnit": "@unit", "dataValues": [{"dataElement": "deBoundTxt1", '
                   '"period": "202404", "comment": {"value": "d", "x": [1]}, "storedBy": "s"}]}')
    assert summary["importCount"]["imported"] == 1 and summary["importCount"]["ignored"] == 1
    assert _stored(running) == {"202401": ("a", None), "202403": ("c", None),
                                "202404": ("d", None)}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_dashed_months_and_days_are_periods_of_a_data_value_import(sandbox_factory,
                                                                   version: str) -> None:
    # 2.41.9/2.42.5 DateUnitType: MONTHLY `(\d{4})[-]?(\d{2})`, DAILY's `yyyy-MM-dd`; 2.43.1
    # Period.Input#of, 7 and 10 characters with a dash. Each is stored by its ISO id; no other
    # period type takes a dash (a dashed quarter is no period).
    running: RunningSandbox = sandbox_factory(version=version)
    unit = _text_element(running.url)
    raw = ('{"dataValues": [{"dataElement": "deBoundTxt1", "period": "2024-01", "orgUnit": "@unit", '
           '"value": "a"}, {"dataElement": "deBoundTxt1", "period": "2024-02-15", "orgUnit": "@unit", '
           '"value": "b"}]}')
    summary = _post_raw(running.url, raw.replace("@unit", unit)).json()["response"]
    assert written_new(version, summary) == 2 and summary["conflicts"] == [], summary
    # the set's own period, dashed, is every value's
    raw = ('{"period": "2024-03", "orgUnit": "@unit", "dataValues": [{"dataElement": "deBoundTxt1", '
           '"value": "c"}]}')
    summary = _post_raw(running.url, raw.replace("@unit", unit)).json()["response"]
    assert written_new(version, summary) == 1, summary
    assert _stored(running) == {"202401": ("a", None), "20240215": ("b", None),
                                "202403": ("c", None)}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_an_unreadable_period_is_a_conflict_before_2_43_and_a_null_group_on_2_43(
        sandbox_factory, version: str) -> None:
    # 2.41.9/2.42.5: PeriodType#getPeriodFromIsoString's null, the value's E7611 (its period
    # trimmed first); 2.43.1: Period#of's IllegalArgumentException fails the group's decode
    # (the set's period, then each value's, untrimmed), DataEntryPipeline carries on with a
    # null group and DefaultDataEntryService#upsertGroup / #deleteGroup dereference it
    running: RunningSandbox = sandbox_factory(version=version)
    unit = _text_element(running.url)

    def post(set_period: str | None, value_period: str, strategy: str = "CREATE_AND_UPDATE"
             ) -> requests.Response:
        head = f'"period": "{set_period}", ' if set_period is not None else ""
        raw = (f'{{{head}"dataValues": [{{"dataElement": "deBoundTxt1", "period": "{value_period}", '
               f'"orgUnit": "{unit}", "value": "a"}}]}}')
        return requests.post(f"{running.url}/api/dataValueSets", data=raw.encode("utf-8"),
                             auth=ADMIN, params={"importStrategy": strategy}, timeout=10,
                             headers={"Content-Type": "application/json"})

    null_group = 'Cannot invoke "org.hisp.dhis.datavalue.DataEntryGroup.{0}()" because "group" is null'
    # a value's own unreadable period beside a readable set's: 2.41/2.42 never read it (the
    # set's wins), 2.43.1 `peOf` (:139) decodes it all the same
    for set_period, value_period in ((None, "2024-13"), (None, "2024-Q1"), ("2024X", "202401"),
                                     ("202401", "2024-13")):
        answer = post(set_period, value_period)
        if version == "2.43":
            assert answer.status_code == 500, answer.text
            assert answer.json()["message"] == null_group.format("deletion")
        else:
            summary = answer.json()["response"]
            expected = [] if set_period else [f"Period not valid: `{value_period}`"]
            assert [c["value"] for c in summary["conflicts"]] == expected, summary
    deleting = post(None, "2024-13", "DELETE")
    if version == "2.43":
        assert deleting.json()["message"] == null_group.format("values")
    padded = post(None, " 202405")
    if version == "2.43":
        assert padded.status_code == 500 and padded.json()["message"] == null_group.format("deletion")
    else:
        assert padded.json()["response"]["importCount"]["imported"] == 1, padded.text
        assert "202405" in _stored(running)


def test_a_week_its_year_lacks_is_the_null_group_on_2_43(sandbox_factory) -> None:
    # 2.43.1 DateUnitPeriodTypeParser#parseInternal (:96-122): no interval for a week below 1
    # or one whose Monday falls in another ISO year, so Period#of (:99-111) throws and the
    # group is null, the value's own period beside the set's readable one too. 2020 has 53
    # ISO weeks, 2025 52.
    running: RunningSandbox = sandbox_factory(version="2.43")
    unit = _text_element(running.url)
    null_group = 'Cannot invoke "org.hisp.dhis.datavalue.DataEntryGroup.deletion()" because "group" is null'
    for week, missing in (("2024W99", True), ("2025W53", True), ("2024W0", True),
                          ("2020W53", False), ("2025W52", False)):
        answer = requests.post(f"{running.url}/api/dataValueSets", auth=ADMIN, timeout=10, json={
            "period": "202401", "dataValues": [{"dataElement": "deBoundTxt1", "period": week,
                                                "orgUnit": unit, "value": "a"}]})
        assert (answer.status_code == 500) == missing, (week, answer.text)
        if missing:
            assert answer.json()["message"] == null_group, week


@pytest.mark.parametrize("version", ["2.41", "2.42"])
def test_the_sets_period_and_org_unit_win_over_the_values(sandbox_factory, version: str) -> None:
    # DefaultDataValueSetService#createDataValueContext: the set's period, org unit and
    # attribute option combo, when they resolve, are every value's; a period the set names
    # that no period type reads leaves each value its own. The header's period as a number
    # is its text (EmptyStringToNullStdDeserializer) on 2.41/2.42; 2.43 reads it as a string.
    running: RunningSandbox = sandbox_factory(version=version)
    unit = _text_element(running.url)
    period = '"202406"' if version == "2.43" else "202406"
    raw = ('{"period": @period, "orgUnit": "@unit", "dataValues": [{"dataElement": '
           '"deBoundTxt1", "period": "202407", "orgUnit": "noSuchOU01", "value": "a"}]}')
    summary = _post_raw(running.url, raw.replace("@period", period).replace(
        "@unit", unit)).json()["response"]
    assert written_new(version, summary) == 1 and summary["conflicts"] == [], summary
    raw = ('{"period": "2024W99", "orgUnit": "@unit", "dataValues": [{"dataElement": '
           '"deBoundTxt1", "period": "202408", "value": "b"}, {"dataElement": "deBoundTxt1", '
           '"value": "c"}]}')
    summary = _post_raw(running.url, raw.replace("@unit", unit)).json()["response"]
    assert summary["importCount"]["imported"] == 1, summary
    assert [c["value"] for c in summary["conflicts"]] == ["Period not valid: `null`"]
    assert _stored(running) == {"202406": ("a", None), "202408": ("b", None)}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_values_own_period_and_org_unit_win_over_the_sets_from_2_43(sandbox_factory,
                                                                       version: str) -> None:
    # 2.41.9/2.42.5 DefaultDataValueSetService#createDataValueContext: the set's period and org
    # unit, when they resolve, are every value's; 2.43.1 DefaultDataEntryService#decodeGroup
    # (`peOf` :139 applied :215, `ouVal` :226-227): the value's own, the set's only in its place
    # (`import_value_ids_over_the_set`)
    running: RunningSandbox = sandbox_factory(version=version)
    assert RELEASES[version].import_value_ids_over_the_set == (version == "2.43")
    unit = _text_element(running.url)
    units = requests.get(f"{running.url}/api/organisationUnits", auth=ADMIN, timeout=10,
                         params={"fields": "id,path", "paging": "false"}).json()["organisationUnits"]
    other = next(str(u["id"]) for u in units if u["id"] != unit)
    for raw in ('{"period": "202406", "orgUnit": "@unit", "dataValues": [{"dataElement": '
                '"deBoundTxt1", "period": "202407", "orgUnit": "@other", "value": "a"}]}',
                '{"period": "202405", "orgUnit": "@unit", "dataValues": [{"dataElement": '
                '"deBoundTxt1", "attributeOptionCombo": "", "value": "b"}]}'):
        summary = _post_raw(running.url, raw.replace("@unit", unit).replace("@other", other)
                            ).json()["response"]
        assert written_new(version, summary) == 1 and summary["conflicts"] == [], summary
    rows = running.store.conn.execute(
        "SELECT period, org_unit, value FROM data_values WHERE data_element='deBoundTxt1'")
    stored = sorted((r["value"], r["period"], r["org_unit"]) for r in rows)
    if version == "2.43":
        assert stored == [("a", "202407", other), ("b", "202405", unit)]
    else:
        assert stored == [("a", "202406", unit), ("b", "202405", unit)]


@pytest.mark.parametrize("version", ["2.41", "2.42"])
def test_a_missing_identifier_is_null_in_the_conflict(sandbox_factory, version: str) -> None:
    # ImportConflict#createConflict formats its arguments with MessageFormat#format: a null
    # data element or period is `null` in the text and null among the objects. (2.43.1's
    # decode refuses the set at the first value: E8102, test_data_value_set_decode.py.)
    running: RunningSandbox = sandbox_factory(version=version)
    unit = _text_element(running.url)
    summary = _post_raw(running.url, '{"orgUnit": "@unit", "dataValues": [{"period": "202401", '
                        '"value": "a"}, {"dataElement": "deBoundTxt1", "value": "b"}]}'.replace(
                            "@unit", unit)).json()["response"]
    assert [(c["value"], c["objects"]) for c in summary["conflicts"]] == [
        ("Data element not found or not accessible: `null`", {"dataElement": None}),
        ("Period not valid: `null`", {"period": None})], summary


@pytest.mark.parametrize("version", ["2.41", "2.42"])
def test_boolean_fields_are_read_as_jackson_coerces_them(sandbox_factory, version: str) -> None:
    # DataValue#deleted is a Boolean (StdDeserializer#_parseBoolean: "false", "", 0 are no
    # deletion), #followup a boolean; an unreadable one fails the whole read, 2.41.9 with the
    # mapping exception (its location and reference chain), 2.42.5 "Post-condition was null".
    running: RunningSandbox = sandbox_factory(version=version)
    unit = _text_element(running.url)
    kept = ('{"orgUnit": "@unit", "dataValues": ['
            '{"dataElement": "deBoundTxt1", "period": "202401", "value": "a", "deleted": "false"},'
            '{"dataElement": "deBoundTxt1", "period": "202402", "value": "b", "deleted": 0,'
            ' "followup": "TRUE"},'
            '{"dataElement": "deBoundTxt1", "period": "202403", "value": "c", "deleted": " ",'
            ' "followup": 1}]}'.replace("@unit", unit))
    response = _post_raw(running.url, kept)
    assert response.json()["response"]["importCount"]["imported"] == 3, response.text
    refused = [
        ('{"dataValues": [{"value": "a"},\n  {"deleted": "yes", "followup": 1.5}]}',
         "com.fasterxml.jackson.databind.exc.InvalidFormatException: Cannot deserialize value "
         'of type `java.lang.Boolean` from String "yes": only "true" or "false" recognized\n'
         " at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); "
         "line: 2, column: 15] (through reference chain: org.hisp.dhis.dxf2.datavalueset."
         'DataValueSet["dataValues"]->java.util.ArrayList[1]->org.hisp.dhis.dxf2.datavalue.'
         'DataValue["deleted"])'),
        ('{"dataValues": [{"followup": 1.5}]}',
         "com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value "
         "of type `boolean` from Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)\n"
         " at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); "
         "line: 1, column: 30] (through reference chain: org.hisp.dhis.dxf2.datavalueset."
         'DataValueSet["dataValues"]->java.util.ArrayList[0]->org.hisp.dhis.dxf2.datavalue.'
         'DataValue["followup"])'),
        ('{"dryRun": {}}',
         "com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value "
         "of type `java.lang.Boolean` from Object value (token `JsonToken.START_OBJECT`)\n"
         " at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); "
         "line: 1, column: 12] (through reference chain: org.hisp.dhis.dxf2.datavalueset."
         'DataValueSet["dryRun"])'),
    ]
    for raw, message in refused:
        response = _post_raw(running.url, raw)
        expected = message if version == "2.41" else "Post-condition was null"
        assert response.status_code == 409
        assert response.json()["response"]["description"] == _READ_FAILED + expected


# (body, 2.43.1's 500 message: the first member json-tree reads with the wrong type)
WRONG_TYPES_ON_2_43 = [
    ('{"dataValues": [{"dataElement": "deBoundTxt1", "value": 5}]}',
     "Path `$.value` does not contain an STRING but a(n) NUMBER: 5"),
    ('{"dataValues": [{"value": 1.50, "dataElement": 7}]}',
     "Path `$.dataElement` does not contain an STRING but a(n) NUMBER: 7"),
    ('{"dataValues": [{"comment": {"a" : 1}, "followUp": "x"}]}',
     'Path `$.comment` does not contain an STRING but a(n) OBJECT: {"a" : 1}'),
    ('{"dataValues": [{"value": "1", "deleted": "true"}]}',
     'Path `$.deleted` does not contain an BOOLEAN but a(n) STRING: "true"'),
    ('{"dataValues": [{"followUp": 0}]}',
     "Path `$.followUp` does not contain an BOOLEAN but a(n) NUMBER: 0"),
    ('{"dataValues": [{"value": 5}], "period": [1, 2], "dataSet": true}',
     "Path `$.dataSet` does not contain an STRING but a(n) BOOLEAN: true"),
    ('{"dataValues": [{"value": 5}], "period": [1, 2]}',
     "Path `$.period` does not contain an STRING but a(n) ARRAY: [1, 2]"),
    ('{"dryRun": "true"}', 'Path `$.dryRun` does not contain an BOOLEAN but a(n) STRING: "true"'),
    ('{"idScheme": 1}', "Path `$.idScheme` does not contain an STRING but a(n) NUMBER: 1"),
    ('{"dataValues": 5}', "NUMBER node has no elements property."),
    ('{"dataValues": null}', "NULL node has no elements property."),
]


@pytest.mark.parametrize(("raw", "message"), WRONG_TYPES_ON_2_43)
def test_a_member_of_the_wrong_type_is_json_trees_500_on_2_43(sandbox_factory, raw: str,
                                                               message: str) -> None:
    # DataEntryInput#fromJson (2.43.1 :230-310): getString(…).string() / getBoolean(…).bool()
    # throw JsonTreeException (JsonVirtualTree#value), not an IllegalArgumentException, so
    # CrudControllerAdvice#defaultExceptionHandler answers 500 with its message, before any
    # value is imported.
    running: RunningSandbox = sandbox_factory(version="2.43")
    _text_element(running.url)
    response = _post_raw(running.url, raw)
    body = response.json()
    assert (response.status_code, body["status"], body.get("errorCode"), body["message"]) == (
        500, "ERROR", None, message)
    assert _stored(running) == {}


def test_guarded_members_and_json_tree_key_names_on_2_43(sandbox_factory) -> None:
    # 2.43.1 reads categoryOptionCombo and the header's attributeOptionCombo only when they are
    # strings (isString()), the flag as `followUp` (2.41/2.42's `followup` is unknown there),
    # and the body's dryRun sets the import's (:244-245).
    running: RunningSandbox = sandbox_factory(version="2.43")
    unit = _text_element(running.url)
    raw = ('{"attributeOptionCombo": 5, "orgUnit": "@unit", "dataValues": [{"dataElement": '
           '"deBoundTxt1", "period": "202401", "value": "a", "categoryOptionCombo": 5, '
           '"followup": "x"}]}'.replace("@unit", unit))
    response = _post_raw(running.url, raw)
    assert written_new("2.43", response.json()["response"]) == 1, response.text
    assert _stored(running) == {"202401": ("a", None)}
    dry = _post_raw(running.url, raw.replace('"orgUnit"', '"dryRun": true, "orgUnit"')
                    .replace("202401", "202402"))
    summary = dry.json()["response"]
    assert (written_new("2.43", summary), summary["importOptions"]["dryRun"]) == (1, True)
    assert "202402" not in _stored(running)


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_values_stored_by_is_its_own_unless_blank(sandbox_factory, version: str) -> None:
    # 2.41.9 / 2.42.5 ImportContext#getStoredBy keeps the value's storedBy (a String field: a
    # number is its text) unless it is blank; 2.43.1 DataEntryInput#fromJson reads none, so
    # the importing user is stored.
    running: RunningSandbox = sandbox_factory(version=version)
    unit = _text_element(running.url)
    raw = ('{"orgUnit": "@unit", "dataValues": ['
           '{"dataElement": "deBoundTxt1", "period": "202401", "value": "a", "storedBy": 42},'
           '{"dataElement": "deBoundTxt1", "period": "202402", "value": "b", "storedBy": " "}]}'
           ).replace("@unit", unit)
    assert written_new(version, _post_raw(running.url, raw).json()["response"]) == 2
    rows = dict(running.store.conn.execute(
        "SELECT period, stored_by FROM data_values WHERE data_element='deBoundTxt1'").fetchall())
    assert rows == {"202401": "admin" if version == "2.43" else "42", "202402": "admin"}


_AT = " at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); "
_VALUES = 'org.hisp.dhis.dxf2.datavalueset.DataValueSet["dataValues"]'


@pytest.mark.parametrize("version", ["2.41", "2.42"])
def test_data_values_that_bind_no_list_of_values_fail_the_read(sandbox_factory,
                                                                 version: str) -> None:
    # DataValueSet#dataValues is a List<DataValue>: CollectionDeserializer refuses a single
    # value (the concrete ArrayList named), BeanDeserializer an element that is no object;
    # a null list is skipped (DefaultDataValueSetService#importDataValueSet 2.41.9 :710-712).
    running: RunningSandbox = sandbox_factory(version=version)
    refused = [
        ('{"dataValues": 5}',
         "com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value "
         "of type `java.util.ArrayList<org.hisp.dhis.dxf2.datavalue.DataValue>` from Integer "
         f"value (token `JsonToken.VALUE_NUMBER_INT`)\n{_AT}line: 1, column: 16] (through "
         f"reference chain: {_VALUES})"),
        ('{"dataValues": [{}, "x"]}',
         "com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot construct instance "
         "of `org.hisp.dhis.dxf2.datavalue.DataValue` (although at least one Creator exists): no "
         "String-argument constructor/factory method to deserialize from String value ('x')\n"
         f"{_AT}line: 1, column: 21] (through reference chain: {_VALUES}->java.util.ArrayList[1])"),
    ]
    for raw, message in refused:
        response = _post_raw(running.url, raw)
        expected = message if version == "2.41" else "Post-condition was null"
        assert response.status_code == 409
        assert response.json()["response"]["description"] == _READ_FAILED + expected
    skipped = _post_raw(running.url, '{"dataValues": null}').json()["response"]
    assert (skipped["status"], skipped["importCount"]["ignored"]) == ("SUCCESS", 0)


def test_an_id_scheme_of_the_body_is_read_by_id_scheme_from_on_2_43(sandbox_factory) -> None:
    # DataEntryInput#fromJson sets each scheme given through IdSchemes#set…IdScheme(String) →
    # IdScheme#from (2.43.1 :94-99): IdentifiableProperty#valueOf's IllegalArgumentException
    # is CrudControllerAdvice#illegalArgumentExceptionHandler's 400 (:521-526); case is free.
    running: RunningSandbox = sandbox_factory(version="2.43")
    for raw, message in (
            ('{"idScheme": "code", "orgUnitIdScheme": "names"}',
             "No enum constant org.hisp.dhis.common.IdentifiableProperty.NAMES"),
            ('{"categoryOptionIdScheme": ""}',
             "No enum constant org.hisp.dhis.common.IdentifiableProperty."),
            ('{"dataSetIdScheme": "attribute:abc"}',
             "No enum constant org.hisp.dhis.common.IdentifiableProperty.ATTRIBUTE:ABC")):
        response = _post_raw(running.url, raw)
        body = response.json()
        assert (response.status_code, body.get("errorCode"), body["message"]) == (
            400, None, message)
    fine = _post_raw(running.url, '{"idScheme": "Code", "dataSetIdScheme": null, '
                                  '"dataElementIdScheme": "ATTRIBUTE:abcdefghijk"}')
    assert fine.status_code == 200, fine.text


@pytest.mark.parametrize("version", ["2.41", "2.42"])
def test_an_unreadable_id_scheme_of_the_set_fails_its_import_context(sandbox_factory,
                                                                      version: str) -> None:
    # DefaultDataValueSetService#createDataValueSetImportContext (2.41.9 :1046-1070, 2.42.5
    # :1058-1083, inside the import's catch; 2.42.5 in a stage whose failure the post-condition
    # hides) reads the data element scheme (else idScheme) first, the general one last.
    running: RunningSandbox = sandbox_factory(version=version)
    for raw, enum in (('{"idScheme": "names", "orgUnitIdScheme": "x"}', "NAMES"),
                      ('{"idScheme": "code", "orgUnitIdScheme": "x"}', "X"),
                      ('{"dataSetIdScheme": "Code", "idScheme": ""}', None)):
        response = _post_raw(running.url, raw)
        summary = response.json()["response"]
        if enum is None:
            assert summary["status"] == "SUCCESS"
            continue
        expected = (f"No enum constant org.hisp.dhis.common.IdentifiableProperty.{enum}"
                    if version == "2.41" else "Post-condition was null")
        assert (response.status_code, summary["description"]) == (409, _READ_FAILED + expected)


def _completion_set(url: str) -> str:
    """A data set the admin may write data for, and a seeded org unit."""
    assert post_metadata(url, {"dataSets": [{
        "id": "dsComplete1", "name": "Completion", "shortName": "Completion",
        "periodType": "Monthly", "sharing": {"public": "rwrw----"}}]}).status_code == 200
    return _seeded_unit(url)


def _post_set(url: str, **members: object) -> requests.Response:
    return requests.post(f"{url}/api/dataValueSets", auth=ADMIN, timeout=10,
                         json={"dataSet": "dsComplete1", "dataValues": [], **members})


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_complete_date_completes_the_set(sandbox_factory, version: str) -> None:
    # 2.41.9 DefaultDataValueSetService#importDataValueSet :686-698 (2.42.5 :702-714): with a
    # data set and a date #handleComplete registers the completion and the summary's
    # dataSetComplete is DateUtils#toMediumDate of it (2.41.9 :1330, 2.42.5 :1336); a future
    # date is today (#getCompletionDate). 2.43.1 DefaultDataEntryService#decodeGroup reads it
    # with DateUtils#parseDate (:193) and DataEntryPipeline#importGroups (:241-247) prints it
    # unclamped. The set's org unit, then its period, are needed: 2.41/2.42 a plain conflict
    # (#handleComplete :1288-1296), 2.43 E8009 (:207-209), a BadRequestException that
    # DataEntryPipeline#importInputGroups (:139-145) makes one ERROR summary (409); a period
    # #decodeIso reads as none ("") is none there.
    url = sandbox_factory(version=version).url
    unit = _completion_set(url)
    done = _post_set(url, orgUnit=unit, period="202401", completeDate="2024-02-05")
    assert (done.status_code, done.json()["response"]["dataSetComplete"]) == (200, "2024-02-05")
    later = _post_set(url, orgUnit=unit, period="202401", completeDate="2999-01-01")
    today = datetime.now(UTC).date().isoformat()
    assert later.json()["response"]["dataSetComplete"] == (
        "2999-01-01" if version == "2.43" else today)
    no_unit = _post_set(url, period="202401", completeDate="2024-02-05")
    no_period = _post_set(url, orgUnit=unit, completeDate="2024-02-05")
    if version == "2.43":
        empty_period = _post_set(url, orgUnit=unit, period="", completeDate="2024-02-05")
        for answer in (no_unit, no_period, empty_period):
            assert answer.status_code == 409, answer.text
            summary = answer.json()["response"]
            assert summary["status"] == "ERROR" and "dataSetComplete" not in summary
            assert summary["conflicts"] == [{
                "objects": {"args": ""}, "errorCode": "E8009", "indexes": [-1],
                "value": "Data set `completeDate` requires data set, org unit, period and "
                         "attribute option combo to be defined at the group level."}]
        return
    for answer, missing in ((no_unit, "OrganisationUnit"), (no_period, "Period")):
        assert answer.status_code == 409, answer.text
        summary = answer.json()["response"]
        assert summary["status"] == "WARNING"
        assert summary["conflicts"] == [{"object": missing,
                                         "value": "Must be provided to complete data set"}]
        assert "dataSetComplete" not in summary


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_complete_date_is_read_as_each_release_reads_it(sandbox_factory, version: str) -> None:
    # 2.41.9/2.42.5 #getCompletionDate: `true` is today, `false` none, else LocalDate#parse,
    # whose DateTimeParseException fails the import ("The import process failed: …", the
    # catch 2.41.9 :628-631, 2.42.5 :642-645). 2.43.1 #decodeDate is DateUtils#parseDate
    # (`2024-02-05T10:00` a date, `true` none): E8008 for a text it cannot read, the 409
    # ERROR summary of DataEntryPipeline#importInputGroups (:139-145).
    url = sandbox_factory(version=version).url
    unit = _completion_set(url)
    cases = {"true": None, "false": None, "2024-2-05": None, "2024-02-30": None,
             "2024-02-05T10:00": None}
    for text in cases:
        cases[text] = _post_set(url, orgUnit=unit, period="202401", completeDate=text)
    if version == "2.43":
        assert cases["2024-02-05T10:00"].json()["response"]["dataSetComplete"] == "2024-02-05"
        for text in ("true", "2024-02-30"):
            assert cases[text].status_code == 409, cases[text].text
            summary = cases[text].json()["response"]
            assert (summary["status"], summary["conflicts"]) == ("ERROR", [{
                "objects": {"args": text}, "errorCode": "E8008", "indexes": [-1],
                "value": f"Data set `completeDate` is not a valid date string: `{text}`"}])
        return
    today = datetime.now(UTC).date().isoformat()
    assert cases["true"].json()["response"]["dataSetComplete"] == today
    assert cases["false"].json()["response"]["dataSetComplete"] == "false"
    for text, message in (
            ("2024-2-05", "Text '2024-2-05' could not be parsed at index 5"),
            ("2024-02-30", "Text '2024-02-30' could not be parsed: Invalid date 'FEBRUARY 30'"),
            ("2024-02-05T10:00",
             "Text '2024-02-05T10:00' could not be parsed, unparsed text found at index 10")):
        summary = cases[text].json()["response"]
        assert (cases[text].status_code, summary["status"], summary["description"]) == (
            409, "ERROR", f"The import process failed: {message}"), text
        # `new ImportSummary(ERROR, …)` (2.41.9 :628-631) keeps its `new ImportCount()`
        assert summary["importCount"] == {"imported": 0, "updated": 0, "ignored": 0, "deleted": 0}
        assert "dataSetComplete" not in summary


def test_the_2_43_pipeline_completes_only_a_set_without_ignored_values(sandbox_factory) -> None:
    # 2.43.1 DataEntryPipeline#importGroups (:231-232): a group with an ignored value is not
    # marked complete, so dataSetComplete is "false"; 2.42.5 completes before the values.
    for version, expected in (("2.42", "2024-02-05"), ("2.43", "false")):
        url = sandbox_factory(version=version).url
        unit = _completion_set(url)
        answer = _post_set(url, orgUnit=unit, period="202401", completeDate="2024-02-05",
                           dataValues=[{"dataElement": "noSuchDe001", "value": "1"}])
        assert answer.json()["response"]["dataSetComplete"] == expected, version


def test_the_export_bean_takes_the_data_binders_defaults_and_array_indices(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # DataValueSetQueryParams (2.41, 2.42) / DataExportParams.Input (2.43) is a bean:
    # WebDataBinder#doBind reads `!name` (a default when name is absent) and `name[]`
    _, running = release_sandbox
    unit = _seeded_unit(running.url)
    url = f"{running.url}/api/dataValueSets"
    for params in ({"dataElement[]": DE, "orgUnit[]": unit, "period[]": "202401"},
                   {"!dataElement": DE, "!orgUnit": unit, "!period": "202401"}):
        response = requests.get(url, params=params, auth=ADMIN, timeout=10)
        assert (response.status_code, response.json()) == (200, {"dataValues": []}), params


def test_the_2_43_export_beans_own_properties_take_the_data_binders_forms(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # 2.43.1 DataExportParams.Input's `orderByPeriod` (:210) and `categoryOptionCombo` (:187) are
    # bean properties, so WebDataBinder#doBind binds `!name` and `name[]` for them as well:
    # the flag is refused as given, the combo decoded (`#decodeIds`, `UID::of`); 2.41/2.42's
    # DataValueSetQueryParams has neither, so the forms are no parameter at all there
    version, running = release_sandbox
    unit = _seeded_unit(running.url)
    url = f"{running.url}/api/dataValueSets"
    base = {"dataElement": DE, "period": "202401", "orgUnit": unit}
    cases = [("orderByPeriod", "Value 'x' is not valid for parameter orderByPeriod. It should "
              "be of type boolean"),
             ("categoryOptionCombo", "UID must be an alphanumeric string of 11 characters "
              "starting with a letter, but was: x")]
    for name, message in cases:
        for form in (f"!{name}", f"{name}[]"):
            response = requests.get(url, params={**base, form: "x"}, auth=ADMIN, timeout=10)
            if version == "2.43":
                assert (response.status_code, response.json()["message"]) == (400, message), form
            else:
                assert (response.status_code, response.json()) == (200, {"dataValues": []}), form


def test_the_export_beans_booleans_are_bound_by_springs_converter(
        release_sandbox: tuple[str, RunningSandbox]) -> None:
    # `children`, `includeDeleted` (and 2.43's Input flags) are bean booleans bound by
    # StringToBooleanConverter: `yes`/`on`/`1` in any case, trimmed, are true; another value,
    # or a blank one for a `boolean`, is refused before the handler runs
    version, running = release_sandbox
    unit = _seeded_unit(running.url)
    url = f"{running.url}/api/dataValueSets"
    base = {"dataElement": DE, "period": "202401", "orgUnit": unit}
    for value in ("Yes", " on ", "1", "TRUE"):
        response = requests.get(url, params={**base, "orgUnitGroup": "ougT3grp001",
                                             "children": value}, auth=ADMIN, timeout=10)
        assert (response.status_code, response.json()["errorCode"]) == (409, "E2007"), value
    refusals = [("children", "maybe", "Value 'maybe' is not valid for parameter children. "
                 "It should be of type boolean"),
                ("children", " ", "Value ' ' is not valid for parameter children. "
                 "It should be of type boolean"),
                ("children", "", "children cannot be empty. It should be of type boolean"),
                ("includeDeleted", "x", "Value 'x' is not valid for parameter includeDeleted. "
                 "It should be of type boolean")]
    later = [("orderByPeriod", "x", "Value 'x' is not valid for parameter orderByPeriod. "
              "It should be of type boolean"),
             ("inputUseCodeFallback", "x", "Value 'x' is not valid for parameter "
              "inputUseCodeFallback. Invalid boolean value [x]")]
    for name, value, message in refusals + (later if version == "2.43" else []):
        response = requests.get(url, params={**base, name: value}, auth=ADMIN, timeout=10)
        assert (response.status_code, response.json()["message"]) == (400, message), name
    # a property of no bean before 2.43, and a blank `Boolean` is null
    accepted = [("inputUseCodeFallback", "")] + ([] if version == "2.43" else [("orderByPeriod", "x")])
    for name, value in accepted:
        response = requests.get(url, params={**base, name: value}, auth=ADMIN, timeout=10)
        assert (response.status_code, response.json()) == (200, {"dataValues": []}), name
    if version == "2.43":
        # `inputUseCodeFallback=YES` lets an id that is no UID through UID::of
        response = requests.get(url, params={**base, "orgUnit": "not-a-uid",
                                             "inputUseCodeFallback": "YES"}, auth=ADMIN,
                                timeout=10)
        assert response.status_code == 200, response.text
