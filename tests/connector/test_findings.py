"""One finding type for every input: the place it names, and its renderings."""

from __future__ import annotations

import json

from scdi.connector.errors import ValidationFailed
from scdi.connector.findings import (
    TABLE_HEADERS,
    Finding,
    Location,
    ObjectRef,
    Severity,
    dedupe,
    finding,
    sort_findings,
    summary,
)


def test_a_metadata_finding_names_file_object_and_property() -> None:
    found = finding(Severity.ERROR, "privacy.not-confidential", "must be confidential",
                    file="src/member/trackedEntityAttributes.json", object_type="trackedEntityAttribute",
                    name="Phone", uid="AbcdefGhij1", property="confidential")
    assert found.location == Location(file="src/member/trackedEntityAttributes.json", object=ObjectRef(
        type="trackedEntityAttribute", uid="AbcdefGhij1", name="Phone", property="confidential"))
    assert (found.file, found.object_type, found.uid, found.name, found.property) == (
        "src/member/trackedEntityAttributes.json", "trackedEntityAttribute", "AbcdefGhij1", "Phone", "confidential")
    assert found.one_line() == (
        "ERROR   privacy.not-confidential: src/member/trackedEntityAttributes.json · "
        "trackedEntityAttribute 'Phone' [AbcdefGhij1] · property 'confidential': must be confidential")


def test_a_roster_finding_names_sheet_row_and_column() -> None:
    found = finding(Severity.WARNING, "roster.date", "not a date", file="roster.xlsx", sheet="Thành viên",
                    row=7, column="Ngày sinh")
    assert found.location.object is None and found.uid is None
    assert found.where() == "roster.xlsx · sheet 'Thành viên' · row 7 · column 'Ngày sinh'"
    assert found.table_row() == ("WARNING", "roster.date", found.where(), "not a date")
    assert len(TABLE_HEADERS) == len(found.table_row())


def test_json_is_flat_with_every_part_of_the_place() -> None:
    found = finding(Severity.INFO, "translations.coverage", "half translated", file="pkg.json")
    data = found.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data == {"severity": "INFO", "code": "translations.coverage", "check": "translations.coverage",
                    "message": "half translated", "file": "pkg.json", "sheet": None, "row": None, "column": None,
                    "object_type": None, "name": None, "uid": None, "property": None}
    # nothing at all known about the place still renders
    bare = Finding(severity=Severity.ERROR, code="deploy.import", message="refused")
    assert bare.one_line() == "ERROR   deploy.import: refused"


def test_sorting_dedupe_and_summary() -> None:
    a = finding(Severity.WARNING, "b.code", "m", file="a.json")
    b = finding(Severity.ERROR, "a.code", "m", file="b.json")
    c = finding(Severity.ERROR, "a.code", "m", file="a.json", row=2)
    assert sort_findings([a, b, c]) == [c, b, a]
    assert dedupe([a, a.model_copy(), b]) == [a, b]
    assert summary([a, b, c]) == {"ERROR": 2, "WARNING": 1, "INFO": 0}


def test_validation_failed_carries_findings() -> None:
    found = finding(Severity.ERROR, "x.y", "bad")
    error = ValidationFailed("1 error", findings=[found])
    assert error.findings == [found]
    assert ValidationFailed("none").findings == []
