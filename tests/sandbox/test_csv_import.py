"""CSV metadata import (metadata/csv_import.py): `POST /api/metadata` with application/csv and a
classKey, at every release (MetadataImportExportController#postCsvMetadata and
DefaultCsvImportService are the same at 2.41.9, 2.42.5 and 2.43.1)."""

from __future__ import annotations

import time

import pytest
import requests

from tests.sandbox.helpers import ADMIN, object_errors

VERSIONS = ("2.41", "2.42", "2.43")
CSV = {"Content-Type": "application/csv"}
DEFAULT_COMBO = "bjDvmb4bfuf"


def _post(url: str, body: str, **params: str) -> requests.Response:
    return requests.post(f"{url}/api/metadata", params=params, data=body.encode(), headers=CSV,
                         auth=ADMIN, timeout=10)


def _get(url: str, plural: str, uid: str, fields: str) -> requests.Response:
    return requests.get(f"{url}/api/{plural}/{uid}", params={"fields": fields}, auth=ADMIN,
                        timeout=10)


def test_first_row_is_header_by_default_and_read_as_data_otherwise(sandbox_factory) -> None:
    # DefaultMetadataImportService#getBooleanWithDefault(…, "firstRowIsHeader", true): the
    # first record is skipped whatever it holds; any value but "true" (an empty one too) reads
    # it as data (DefaultCsvImportService#fromCsv).
    rows = "CSV first,CsvDeFirst1,,,,,,TEXT,NONE\nCSV second,CsvDeSecnd1,,,,,,TEXT,NONE\n"
    for version in VERSIONS:
        url = sandbox_factory(version=version).url
        answer = _post(url, rows, classKey="DATA_ELEMENT")
        assert answer.status_code == 200, (version, answer.text)
        assert answer.json()["response"]["stats"]["created"] == 1
        assert _get(url, "dataElements", "CsvDeFirst1", "id").status_code == 404
        for value, created in (("false", 1), ("", 0)):
            again = _post(url, rows, classKey="DATA_ELEMENT", firstRowIsHeader=value).json()
            assert again["response"]["stats"] == {
                "created": created, "updated": 2 - created, "deleted": 0, "ignored": 0,
                "total": 2}, (version, value)
        # MetadataImportParams writes the flag it read among the job's parameters
        job = requests.post(f"{url}/api/metadata", json={}, auth=ADMIN, timeout=10,
                            params={"async": "true", "firstRowIsHeader": "no"}).json()
        assert job["response"]["jobParameters"]["firstRowIsHeader"] is False
        header = "name,uid,code,shortName,description,formName,domainType,valueType\n"
        refused = _post(url, header, classKey="DATA_ELEMENT", firstRowIsHeader="FALSE")
        assert refused.status_code == 400
        assert refused.json()["message"] == \
            "No enum constant org.hisp.dhis.common.ValueType.valueType"


def test_data_element_columns_and_their_defaults(sandbox_factory) -> None:
    # #dataElementsFromCsv: name, uid, code, shortName (default the name), description,
    # formName, domainType (any case, default aggregate), valueType (INTEGER), aggregationType
    # (SUM), categoryCombo (the default), url, zeroIsSignificant, optionSet, commentOptionSet.
    body = ("name,uid,code,shortName,description,formName,domainType,valueType,aggregationType\n"
            "Số ca khám,CsvDeVisit1,CSV_VISIT,,Lượt khám,  ,tracker,NUMBER,AVERAGE,,,TRUE\n"
            "Số người,CsvDePeople,,Người,,,,,\n")
    for version in VERSIONS:
        url = sandbox_factory(version=version).url
        assert _post(url, body, classKey="DATA_ELEMENT").status_code == 200
        fields = ("name,code,shortName,description,formName,domainType,valueType,"
                  "aggregationType,categoryCombo,zeroIsSignificant")
        assert _get(url, "dataElements", "CsvDeVisit1", fields).json() == {
            "name": "Số ca khám", "code": "CSV_VISIT", "shortName": "Số ca khám",
            "description": "Lượt khám", "domainType": "TRACKER", "valueType": "NUMBER",
            "aggregationType": "AVERAGE", "categoryCombo": {"id": DEFAULT_COMBO},
            "zeroIsSignificant": True}, version
        second = _get(url, "dataElements", "CsvDePeople", fields).json()
        assert (second["shortName"], second["domainType"], second["valueType"],
                second["aggregationType"], second["zeroIsSignificant"]) == \
            ("Người", "AGGREGATE", "INTEGER", "SUM", False), version


def test_org_units_and_option_sets(sandbox_factory) -> None:
    # #orgUnitsFromCsv (parent uid, opening date default 1970-01-01, a geometry from the
    # feature type and coordinates) and #setOptionSetsFromCsv (the records of one set name make
    # one TEXT set, options in record order; a record without option code is skipped).
    for version in VERSIONS:
        url = sandbox_factory(version=version).url
        root = requests.get(f"{url}/api/organisationUnits", auth=ADMIN, timeout=10, params={
            "filter": "level:eq:1", "fields": "id"}).json()["organisationUnits"][0]["id"]
        units = (f"Xã Thử Nghiệm,CsvOuTest01,CSV_OU,{root},,,,,,POINT,\"[106.7, 10.8]\"\n"
                 f"Xã Hai,CsvOuTest02,,{root},Hai,,2020-01-15\n")
        answer = _post(url, units, classKey="ORGANISATION_UNIT", firstRowIsHeader="false")
        assert answer.status_code == 200, (version, answer.text)
        first = _get(url, "organisationUnits", "CsvOuTest01",
                     "shortName,parent,openingDate,geometry,level").json()
        assert first == {"shortName": "Xã Thử Nghiệm", "parent": {"id": root},
                         "openingDate": "1970-01-01T00:00:00.000",
                         "geometry": {"type": "Point", "coordinates": [106.7, 10.8]},
                         "level": 2}, version
        second = _get(url, "organisationUnits", "CsvOuTest02", "shortName,openingDate").json()
        assert second == {"shortName": "Hai", "openingDate": "2020-01-15T00:00:00.000"}
        sets = ("set,uid,code,option,option uid,option code\n"
                "Có/Không,CsvOsYesNo1,CSV_YN,Có,CsvOpYes001,Y\n"
                "Có/Không,CsvOsYesNo1,CSV_YN,Chưa rõ,,\n"
                "Có/Không,CsvOsYesNo1,CSV_YN,Không,CsvOpNo0001,N\n")
        assert _post(url, sets, classKey="OPTION_SET").status_code == 200
        stored = _get(url, "optionSets", "CsvOsYesNo1", "name,code,valueType,options[id,code]")
        assert stored.json() == {"name": "Có/Không", "code": "CSV_YN", "valueType": "TEXT",
                                 "options": [{"id": "CsvOpYes001", "code": "Y"},
                                             {"id": "CsvOpNo0001", "code": "N"}]}, version


def test_class_key_checks(sandbox_factory) -> None:
    # postCsvMetadata: `conflict("Cannot find Csv import class:  " + classKey)` for a missing or
    # unknown (case-sensitive) key; the keys the sandbox does not read are said so.
    for version in VERSIONS:
        url = sandbox_factory(version=version).url
        for given, printed in ((None, "null"), ("data_element", "data_element"), ("", "")):
            params = {} if given is None else {"classKey": given}
            answer = _post(url, "x", **params)
            assert answer.status_code == 409
            assert answer.json() == {
                "httpStatus": "Conflict", "httpStatusCode": 409, "status": "ERROR",
                "message": f"Cannot find Csv import class:  {printed}"}, (version, given)
        assert _post(url, "x", classKey="CATEGORY_OPTION").status_code == 415


@pytest.mark.parametrize("version", VERSIONS)
def test_an_empty_class_key_is_printed_as_it_came(sandbox_factory, version) -> None:
    # `"Cannot find Csv import class:  " + classKey`: `null` only when the parameter is
    # missing; `?classKey=` (or `?classKey`) is the empty string, so nothing follows the spaces
    url = sandbox_factory(version=version).url
    for query in ("classKey=", "classKey"):
        answer = requests.post(f"{url}/api/metadata?{query}", data=b"x", headers=CSV,
                               auth=ADMIN, timeout=10)
        assert answer.status_code == 409, answer.text
        assert answer.json()["message"] == "Cannot find Csv import class:  ", query


@pytest.mark.parametrize("version", VERSIONS)
def test_org_unit_dates_are_read_as_joda_reads_yyyy_mm_dd(sandbox_factory, version) -> None:
    # DateUtils#toMediumDate: Joda's `yyyy-MM-dd` (one or two digits of month and day); a field
    # out of range is its IllegalFieldValueException, an unreadable text its
    # IllegalArgumentException, both answered 400 with the message by CrudControllerAdvice
    url = sandbox_factory(version=version).url
    root = requests.get(f"{url}/api/organisationUnits", auth=ADMIN, timeout=10, params={
        "filter": "level:eq:1", "fields": "id"}).json()["organisationUnits"][0]["id"]
    read = _post(url, f"Xã Ngày,CsvOuDate01,,{root},,,2020-1-5,2021-12-9\n",
                 classKey="ORGANISATION_UNIT", firstRowIsHeader="false")
    assert read.status_code == 200, read.text
    assert _get(url, "organisationUnits", "CsvOuDate01", "openingDate,closedDate").json() == {
        "openingDate": "2020-01-05T00:00:00.000", "closedDate": "2021-12-09T00:00:00.000"}
    for date, message in (
            ("2020-13-45",
             'Cannot parse "2020-13-45": Value 13 for monthOfYear must be in the range [1,12]'),
            ("2021-02-29",
             'Cannot parse "2021-02-29": Value 29 for dayOfMonth must be in the range [1,28]'),
            ("2020/01/05", 'Invalid format: "2020/01/05" is malformed at "/01/05"'),
            ("2020-01-05T08:00", 'Invalid format: "2020-01-05T08:00" is malformed at "T08:00"'),
            ("20200105", 'Invalid format: "20200105" is too short')):
        refused = _post(url, f"Xã Sai,CsvOuDate02,,{root},,,{date}\n",
                        classKey="ORGANISATION_UNIT", firstRowIsHeader="false")
        assert refused.status_code == 400, (date, refused.text)
        assert refused.json()["message"] == message
    assert _get(url, "organisationUnits", "CsvOuDate02", "id").status_code == 404


@pytest.mark.parametrize("version", VERSIONS)
def test_only_unquoted_values_are_trimmed(sandbox_factory, version) -> None:
    # javacsv 2.0's CsvReader (CsvUtils#getReader, its defaults): spaces and tabs before any
    # value are skipped and a quote after them opens a quoted value, kept as it is; only an
    # unquoted value loses its trailing spaces and tabs; what follows a closing quote up to the
    # next delimiter is dropped
    url = sandbox_factory(version=version).url
    body = (' Tên ,CsvDeTrim01, \tCSV_TRIM\t ,  "  Ngắn  " junk,"  Mô tả, dài  ",'
            '"Biểu ""mẫu"""\n')
    answer = _post(url, body, classKey="DATA_ELEMENT", firstRowIsHeader="false")
    assert answer.status_code == 200, answer.text
    stored = _get(url, "dataElements", "CsvDeTrim01", "name,code,shortName,description,formName")
    assert stored.json() == {"name": "Tên", "code": "CSV_TRIM", "shortName": "  Ngắn  ",
                             "description": "  Mô tả, dài  ", "formName": 'Biểu "mẫu"'}


@pytest.mark.parametrize("version", VERSIONS)
def test_a_value_blank_only_in_python_is_kept(sandbox_factory, version) -> None:
    # DefaultCsvImportService#getSafe tests StringUtils#isBlank, Character#isWhitespace: a
    # no-break space (U+00A0, U+202F) or U+0085 is no whitespace to Java, so the value is kept
    # instead of the column's default
    url = sandbox_factory(version=version).url
    body = "Tên NBSP,CsvDeBlank1,,\u202f,\u00a0,\u0085\u00a0,,TEXT,NONE\n"
    answer = _post(url, body, classKey="DATA_ELEMENT", firstRowIsHeader="false")
    assert answer.status_code == 200, answer.text
    stored = _get(url, "dataElements", "CsvDeBlank1", "shortName,description,formName").json()
    assert stored == {"shortName": "\u202f", "description": "\u00a0", "formName": "\u0085\u00a0"}


@pytest.mark.parametrize("version", VERSIONS)
def test_org_unit_columns_are_read_in_their_order(sandbox_factory, version) -> None:
    # DefaultCsvImportService#orgUnitsFromCsv reads the opening and closing dates (columns 6
    # and 7) before FeatureType#valueOf (column 9): with both wrong, the date's error answers
    url = sandbox_factory(version=version).url
    refused = _post(url, "Xã Thứ tự,CsvOuOrder01,,,,,,2020/01/05,,point\n",
                    classKey="ORGANISATION_UNIT", firstRowIsHeader="false")
    assert (refused.status_code, refused.json()["message"]) == (
        400, 'Invalid format: "2020/01/05" is malformed at "/01/05"')


def _until_summary(url: str, job: str) -> dict:
    """The job's task summary once it has one (polled, bounded by a deadline)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        answer = requests.get(f"{url}/api/system/taskSummaries/METADATA_IMPORT/{job}",
                              auth=ADMIN, timeout=10)
        if answer.content:
            return answer.json()
    raise AssertionError(f"no summary for job {job}")


@pytest.mark.parametrize("version", VERSIONS)
def test_an_async_csv_import_names_its_class_among_the_job_parameters(sandbox_factory,
                                                                       version) -> None:
    # postCsvMetadata sets `params.setCsvImportClass(CsvImportClass.valueOf(classKey))` before
    # #startAsyncMetadata, and MetadataImportParams writes it (`@JsonProperty csvImportClass`,
    # after `filename`, null and left out, and before `firstRowIsHeader`); the job's
    # ImportReport carries the same params; a JSON import leaves it null, so no key
    url = sandbox_factory(version=version).url
    rows = "Có/Không,CsvOsAsync01,,Có,CsvOpAsync1,Y\n"
    started = _post(url, rows, classKey="OPTION_SET", firstRowIsHeader="false",
                    **{"async": "true"})
    assert started.status_code == 200, started.text
    keys = list(started.json()["response"]["jobParameters"])
    assert keys[-3:] == ["async", "csvImportClass", "firstRowIsHeader"], keys
    parameters = started.json()["response"]["jobParameters"]
    assert (parameters["csvImportClass"], parameters["firstRowIsHeader"]) == ("OPTION_SET", False)
    summary = _until_summary(url, started.json()["response"]["id"])
    assert summary["status"] == "OK", summary
    assert list(summary["importParams"])[-2:] == ["csvImportClass", "firstRowIsHeader"]
    assert summary["importParams"]["csvImportClass"] == "OPTION_SET"
    plain = requests.post(f"{url}/api/metadata", json={}, params={"async": "true"}, auth=ADMIN,
                          timeout=10).json()["response"]["jobParameters"]
    assert "csvImportClass" not in plain and list(plain)[-2:] == ["async", "firstRowIsHeader"]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_last_unquoted_value_of_a_body_without_line_break_keeps_its_tabs(
        sandbox_factory, version) -> None:
    # javacsv 2.0 CsvReader: at the end of the data #checkDataLength calls #updateCurrentValue,
    # which copies the open value into the column buffer before the read that returns -1; the
    # column buffer's branch of #endColumn tests `SPACE || SPACE`, so it drops trailing spaces
    # only. A value ended by a delimiter or line break within the read data is trimmed of both.
    url = sandbox_factory(version=version).url
    body = ("Tên một,CsvDeTabs01,,,Mô tả\t \n"
            "Tên hai,CsvDeTabs02,,,Mô tả\t \t  ")
    answer = _post(url, body, classKey="DATA_ELEMENT", firstRowIsHeader="false")
    assert answer.status_code == 200, answer.text
    first = _get(url, "dataElements", "CsvDeTabs01", "description").json()
    last = _get(url, "dataElements", "CsvDeTabs02", "description").json()
    assert (first, last) == ({"description": "Mô tả"}, {"description": "Mô tả\t \t"})


@pytest.mark.parametrize("version", VERSIONS)
def test_an_unknown_domain_type_is_a_missing_required_property(sandbox_factory,
                                                               version) -> None:
    # DataElementDomain#fromValue answers null for a value that is neither aggregate nor
    # tracker (any case); DataElement.hbm.xml maps domainType not-null, so the schema property
    # is required and DefaultSchemaValidator#validateProperty reports E4000
    url = sandbox_factory(version=version).url
    answer = _post(url, "Tên miền,CsvDeDomai1,,,,,both\n", classKey="DATA_ELEMENT",
                   firstRowIsHeader="false")
    assert answer.status_code == 409, answer.text
    body = answer.json()
    assert (body["status"], body["response"]["stats"]["ignored"]) == ("WARNING", 1)
    errors = object_errors(body)
    assert [(e["errorCode"], e["message"]) for e in errors] == [
        ("E4000", "Missing required property `domainType`")], errors
    assert _get(url, "dataElements", "CsvDeDomai1", "id").status_code == 404
