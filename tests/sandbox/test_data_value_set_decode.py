"""POST /api/dataValueSets: the ids 2.43.1's `DefaultDataEntryService#decodeGroup` refuses
before anything is imported (E8004/E8005, E8100-E8111), each one ERROR ImportSummary
(`DataEntryPipeline#importInputGroups` :139-145), and what 2.41.9/2.42.5's
`DefaultDataValueSetService` import answers for the same set."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.sandbox.helpers import ADMIN, post_metadata

DE = "deDecode001"
DS = "dsDecode001"
PE = "202401"


def _setup(url: str) -> str:
    """A data element (code `DECODE_DE`) in a data set the admin may write; a seeded org unit."""
    assert post_metadata(url, {
        "dataElements": [{"id": DE, "code": "DECODE_DE", "name": "Decode", "shortName": "Decode",
                          "valueType": "INTEGER", "domainType": "AGGREGATE",
                          "aggregationType": "SUM"}],
        "dataSets": [{"id": DS, "name": "Decode", "shortName": "Decode", "periodType": "Monthly",
                      "dataSetElements": [{"dataElement": {"id": DE}}],
                      "sharing": {"public": "rwrw----"}}]}).status_code == 200
    return str(requests.get(f"{url}/api/organisationUnits", params={"fields": "id"}, auth=ADMIN,
                            timeout=10).json()["organisationUnits"][0]["id"])


def _post(url: str, body: dict[str, Any], **params: str) -> requests.Response:
    return requests.post(f"{url}/api/dataValueSets", auth=ADMIN, json=body, params=params,
                         timeout=30)


def _input(**members: str | None) -> str:
    """`DataEntryValue.Input#toString` with the members `DataEntryInput#fromJson` sets."""
    names = ("dataElement", "orgUnit", "categoryOptionCombo", "categoryOptions",
             "attributeOptionCombo", "attributeCombo", "attributeOptions", "period", "value",
             "comment", "followUp", "deleted")
    return "Input[" + ", ".join(f"{n}={members.get(n) or 'null'}" for n in names) + "]"


def _refusal(answer: requests.Response) -> dict[str, Any]:
    """The one conflict of 2.43.1's ERROR summary, after checking the summary around it."""
    assert answer.status_code == 409, answer.text
    body = answer.json()
    assert (body["status"], body["message"]) == ("ERROR", "An error occurred, please check import summary.")
    summary = body["response"]
    assert summary["status"] == "ERROR"
    assert summary["importCount"] == {"imported": 0, "updated": 0, "ignored": 0, "deleted": 0}
    assert summary["rejectedIndexes"] == []
    assert "description" not in summary and "dataSetComplete" not in summary
    [conflict] = summary["conflicts"]
    assert conflict["indexes"] == [-1] and "object" not in conflict and "property" not in conflict
    return {k: v for k, v in conflict.items() if k != "indexes"}


def _conflict_codes(answer: requests.Response) -> list[str]:
    assert answer.status_code == 409, answer.text
    return [c.get("errorCode") for c in answer.json()["response"]["conflicts"]]


# (a value's members besides `value`, 2.43's code, its last argument, 2.41/2.42's conflict)
VALUE_CASES = [
    ({"dataElement": "notauid", "period": PE, "orgUnit": "@unit"}, "E8104", "notauid", "E7610"),
    ({"period": PE, "orgUnit": "@unit"}, "E8102", None, "E7610"),
    ({"dataElement": DE, "orgUnit": "@unit"}, "E8100", None, "E7611"),
    ({"dataElement": DE, "period": PE}, "E8105", None, "E7612"),
    ({"dataElement": DE, "period": PE, "orgUnit": "notauid"}, "E8106", "notauid", "E7612"),
    ({"dataElement": DE, "period": PE, "orgUnit": "@unit", "categoryOptionCombo": "notauid"},
     "E8109", "notauid", "E7613"),
    ({"dataElement": DE, "period": PE, "orgUnit": "@unit", "attributeOptionCombo": "notauid"},
     "E8111", "notauid", "E7615"),
]
TEXTS = {
    "E8100": "Value #0 period not defined in group or value: `{}`",
    "E8102": "Value #0 data element not defined in group or value: `{}`",
    "E8104": "Value #0 data element UID not valid: `{}`",
    "E8105": "Value #0 org unit not defined in group or value: `{}`",
    "E8106": "Value #0 org unit UID is not valid: `{}`",
    "E8109": "Value #0 category option combo UID is not valid: `{}`",
    "E8111": "Value #0 attribute option combo UID is not valid: `{}`",
}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_a_value_the_decode_refuses_is_one_error_summary_on_2_43(sandbox_factory,
                                                                   version: str) -> None:
    # 2.43.1 DefaultDataEntryService#decodeGroup (:213-281) with UID schemes: an id missing
    # from the value (and the set) or no UID is a BadRequestException, whose args are the
    # index and the id, or the value's `Input` record; 2.41.9/2.42.5 import the value
    # against what they find, so the same value is its own conflict (WARNING).
    url = sandbox_factory(version=version).url
    unit = _setup(url)
    for members, code, arg, legacy in VALUE_CASES:
        value = {k: unit if v == "@unit" else v for k, v in members.items()} | {"value": "1"}
        answer = _post(url, {"dataValues": [value]})
        if version != "2.43":
            assert _conflict_codes(answer) == [legacy], members
            assert answer.json()["response"]["status"] == "WARNING"
            continue
        shown = arg if arg is not None else _input(**value)
        assert _refusal(answer) == {"objects": {"args": f"0-{shown}"},
                                    "value": TEXTS[code].format(shown), "errorCode": code}, members


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_empty_ids_of_a_value_are_not_the_sets_on_2_43(sandbox_factory, version: str) -> None:
    # 2.43.1 `peOf` (:139): a value's "" period is #decodeIso's none even with the set's
    # period (E8100); `ouVal` (:226-227) falls back to the set's only for null, so "" is no
    # UID (E8106 with ""); an empty attribute option combo is none, then the set's "" (E8111).
    # 2.41.9/2.42.5 #createDataValueContext take the set's period and org unit when they
    # resolve, so the value is imported.
    url = sandbox_factory(version=version).url
    unit = _setup(url)
    cases = [  # a period each, so that each value is a new one
        ({"period": "202401", "orgUnit": unit}, {"period": "", "orgUnit": unit}, "E8100"),
        ({"period": "202402", "orgUnit": unit}, {"period": "202402", "orgUnit": ""}, "E8106"),
        ({"period": "202403", "orgUnit": unit, "attributeOptionCombo": ""},
         {"attributeOptionCombo": ""}, "E8111"),
    ]
    for index, (outer, own, code) in enumerate(cases):
        value = {"dataElement": DE, "value": str(index + 1), **own}
        answer = _post(url, {"dataSet": DS, **outer, "dataValues": [value]})
        if version != "2.43":
            assert answer.status_code == 200, answer.text
            assert answer.json()["response"]["importCount"]["imported"] == 1
            continue
        conflict = _refusal(answer)
        assert conflict["errorCode"] == code
        if code != "E8100":
            assert conflict["objects"] == {"args": "0-"}
            assert conflict["value"].endswith("UID is not valid: ``")


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_set_data_set_is_decoded_first(sandbox_factory, version: str) -> None:
    # 2.43.1 :188-191: a data set that is no UID E8004; by a scheme other than UID one not
    # found E8005; both before the completion date (E8008 :192-195) and any value.
    # 2.41.9/2.42.5 abort the import with E7600 (DataValueSetImportValidator).
    url = sandbox_factory(version=version).url
    _setup(url)
    bad_value = [{"dataElement": "notauid", "period": PE, "value": "1"}]
    no_uid = _post(url, {"dataSet": "x", "completeDate": "nope", "dataValues": bad_value})
    by_code = _post(url, {"dataSet": "NO_SUCH_SET", "dataValues": bad_value}, idScheme="CODE")
    if version != "2.43":
        for answer in (no_uid, by_code):
            assert _conflict_codes(answer) == ["E7600"]
            assert answer.json()["response"]["description"] == "Import process was aborted"
        return
    assert _refusal(no_uid) == {"objects": {"args": "x"}, "value": "Data set UID not valid: `x`",
                                "errorCode": "E8004"}
    assert _refusal(by_code) == {"objects": {"args": "NO_SUCH_SET"},
                                 "value": "Data set not found: `NO_SUCH_SET`",
                                 "errorCode": "E8005"}


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_ids_a_scheme_does_not_find_are_not_found(sandbox_factory, version: str) -> None:
    # 2.43.1 IdCoder#mapDecodedIds (:145-186) for CODE: a code it does not find is null,
    # E8103 / E8107 / E8108 / E8110 (the id as given); a code it finds passes.
    url = sandbox_factory(version=version).url
    unit = _setup(url)
    found = _post(url, {"dataValues": [{"dataElement": "DECODE_DE", "period": PE,
                                        "orgUnit": unit, "value": "7"}]},
                  dataElementIdScheme="CODE")
    assert found.status_code == 200, found.text
    cases = [
        ({"dataElement": "NO_CODE", "orgUnit": unit}, {"dataElementIdScheme": "CODE"},
         "E8103", "data element not found", "E7610"),
        ({"dataElement": DE, "orgUnit": "NO_CODE"}, {"orgUnitIdScheme": "CODE"},
         "E8107", "org unit not found", "E7612"),
        ({"dataElement": DE, "orgUnit": unit, "categoryOptionCombo": "NO_CODE"},
         {"categoryOptionComboIdScheme": "CODE"}, "E8108", "category option combo not found",
         "E7613"),
        # the attribute option combo's scheme is the body's own (2.41/2.42 ignore the member)
        ({"dataElement": DE, "orgUnit": unit, "attributeOptionCombo": "NO_CODE"},
         {"attributeOptionComboIdScheme": "CODE"}, "E8110", "attribute option combo not found",
         "E7615"),
    ]
    for members, params, code, words, legacy in cases:
        body: dict[str, Any] = {"dataValues": [{"period": PE, "value": "1", **members}]}
        if "attributeOptionComboIdScheme" in params:
            body, params = {**body, **params}, {}
        answer = _post(url, body, **params)
        if version != "2.43":
            assert _conflict_codes(answer) == [legacy], members
            continue
        assert _refusal(answer) == {"objects": {"args": "0-NO_CODE"},
                                    "value": f"Value #0 {words}: `NO_CODE`",
                                    "errorCode": code}, members


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_the_first_refused_value_stops_the_decode(sandbox_factory, version: str) -> None:
    # 2.43.1 decodes value after value (:213-301) and stops at the first refusal: nothing of
    # the set is written, the index is MessageFormat's grouped Integer in the text and
    # String#valueOf in the args. 2.41.9/2.42.5 import the good values and reject the others.
    url = sandbox_factory(version=version).url
    unit = _setup(url)
    good = {"dataElement": DE, "period": PE, "orgUnit": unit, "value": "3"}
    values = [good] * 1000 + [{**good, "dataElement": "bad1"}, {**good, "orgUnit": "bad2"}]
    answer = _post(url, {"dataValues": values})
    if version != "2.43":
        summary = answer.json()["response"]
        assert (summary["status"], summary["rejectedIndexes"]) == ("WARNING", [1000, 1001])
        return
    assert _refusal(answer) == {"objects": {"args": "1000-bad1"},
                                "value": "Value #1,000 data element UID not valid: `bad1`",
                                "errorCode": "E8104"}
    exported = requests.get(f"{url}/api/dataValueSets", auth=ADMIN, timeout=10, params={
        "dataElement": DE, "period": PE, "orgUnit": unit}).json()
    assert exported.get("dataValues") == []


@pytest.mark.parametrize("version", ["2.41", "2.42", "2.43"])
def test_id_schemes_take_the_sets_own_before_the_query(sandbox_factory, version: str) -> None:
    # 2.41.9/2.42.5 DefaultDataValueSetService#createIdScheme (:1157-1161) and
    # DataValueSet#getIdScheme(String) (:219-223): the set's specific scheme, else its
    # `idScheme`, and only then the query's; the data set by its data set scheme (:1166-1168).
    # 2.43.1 DataEntryInput#fromJson (:232-262) sets the body's schemes on the query's, so a
    # specific scheme of either comes before both `idScheme`s.
    url = sandbox_factory(version=version).url
    unit = _setup(url)
    assert post_metadata(url, {"dataSets": [{
        "id": DS, "code": "DECODE_DS", "name": "Decode", "shortName": "Decode",
        "periodType": "Monthly", "dataSetElements": [{"dataElement": {"id": DE}}],
        "sharing": {"public": "rwrw----"}}]}).status_code == 200

    def value(data_element: str) -> dict[str, Any]:
        return {"dataElement": data_element, "period": PE, "orgUnit": unit, "value": "4"}

    by_code = _post(url, {"dataSet": "DECODE_DS", "dataSetIdScheme": "CODE",
                          "dataValues": [value(DE)]})
    assert (by_code.status_code, by_code.json()["response"]["conflicts"]) == (200, []), by_code.text
    by_query = _post(url, {"dataSet": "DECODE_DS", "dataValues": [value(DE)]},
                     dataSetIdScheme="CODE")
    assert by_query.status_code == 200, by_query.text
    own_uid = _post(url, {"dataSet": DS, "dataSetIdScheme": "UID",
                          "dataValues": [value("DECODE_DE")]}, idScheme="CODE", orgUnitIdScheme="UID")
    assert own_uid.status_code == 200, own_uid.text
    # the query's data element scheme NAME beside the set's `idScheme` CODE
    by_set_code = _post(url, {"idScheme": "CODE", "orgUnitIdScheme": "UID",
                              "dataValues": [value("DECODE_DE")]},
                        dataElementIdScheme="NAME")
    by_name = _post(url, {"idScheme": "CODE", "orgUnitIdScheme": "UID", "dataValues": [value("Decode")]},
                    dataElementIdScheme="NAME")
    if version == "2.43":
        assert _refusal(by_set_code)["errorCode"] == "E8103"
        assert by_name.status_code == 200, by_name.text
    else:
        assert by_set_code.status_code == 200, by_set_code.text
        assert _conflict_codes(by_name) == ["E7610"]
