"""The import reports DHIS2 answers, as typed values: what the connector reads of them.

* `MetadataImportReport`: `POST /api/metadata` (dxf2 `ImportReport`: status, stats, type
  reports → object reports → error reports). A refused import (409) is a report too, with
  status ERROR; it arrives inside a WebMessage (`response`), whose own message is kept.
* `TrackerImportReport`: `POST /api/tracker?async=false` (tracker `report/ImportReport.java`:
  status, stats, validation report with error and warning reports), bare or in a WebMessage.

Unknown fields are ignored, so a newer DHIS2 that adds to a report still reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class _Report(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)


class Stats(_Report):
    created: int = 0
    updated: int = 0
    deleted: int = 0
    ignored: int = 0
    total: int = 0


# --- metadata ----------------------------------------------------------------------------


class ErrorReport(_Report):
    """One thing DHIS2 refused (feedback/ErrorReport.java)."""

    error_code: str | None = None
    message: str | None = None
    main_id: str | None = None
    error_property: str | None = None
    error_klass: str | None = None


class ObjectReport(_Report):
    klass: str | None = None
    uid: str | None = None
    index: int | None = None
    display_name: str | None = None
    error_reports: list[ErrorReport] = Field(default_factory=list)


class TypeReport(_Report):
    klass: str = ""
    stats: Stats = Stats()
    object_reports: list[ObjectReport] = Field(default_factory=list)

    @property
    def type_name(self) -> str | None:
        """`org.hisp.dhis.program.Program` → `program`, as the schemas name types."""
        simple = self.klass.rsplit(".", 1)[-1]
        return simple[:1].lower() + simple[1:] if simple else None


class MetadataImportReport(_Report):
    status: str = "OK"
    stats: Stats = Stats()
    type_reports: list[TypeReport] = Field(default_factory=list)
    # The WebMessage's own words, when the report came inside one (a refusal always does).
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "OK"

    def errors(self) -> Iterator[tuple[TypeReport, ObjectReport, ErrorReport]]:
        for type_report in self.type_reports:
            for object_report in type_report.object_reports:
                for error in object_report.error_reports:
                    yield type_report, object_report, error

    @classmethod
    def from_body(cls, body: Any) -> MetadataImportReport:
        """A report from an answer body: a WebMessage with `response`, or the report itself."""
        if not isinstance(body, dict):
            return cls(status="ERROR")
        inner = body.get("response")
        if isinstance(inner, dict):
            message = body.get("message")
            report = cls.model_validate(inner)
            status = report.status if "status" in inner else str(body.get("status") or "OK")
            return report.model_copy(update={"message": message if isinstance(message, str) else None,
                                             "status": status})
        if "typeReports" in body or "stats" in body:
            return cls.model_validate(body)
        message = body.get("message")
        return cls(status=str(body.get("status") or "ERROR"), message=message if isinstance(message, str) else None)


# --- tracker -----------------------------------------------------------------------------


class TrackerError(_Report):
    """One error or warning of the tracker validation (tracker/imports/report/Error.java)."""

    error_code: str | None = None
    message: str | None = None
    tracker_type: str | None = None
    uid: str | None = None


class TrackerValidationReport(_Report):
    error_reports: list[TrackerError] = Field(default_factory=list)
    warning_reports: list[TrackerError] = Field(default_factory=list)


class TrackerImportReport(_Report):
    status: str = "OK"
    stats: Stats = Stats()
    validation_report: TrackerValidationReport = TrackerValidationReport()
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "OK"

    def error_codes(self) -> set[str]:
        return {e.error_code for e in self.validation_report.error_reports if e.error_code}

    @classmethod
    def from_body(cls, body: Any) -> TrackerImportReport:
        if not isinstance(body, dict):
            return cls(status="ERROR")
        inner = body.get("response")
        if isinstance(inner, dict) and "validationReport" not in body:
            message = body.get("message")
            return cls.model_validate(inner).model_copy(
                update={"message": message if isinstance(message, str) else None})
        return cls.model_validate(body)


__all__ = [
    "ErrorReport",
    "MetadataImportReport",
    "ObjectReport",
    "Stats",
    "TrackerError",
    "TrackerImportReport",
    "TrackerValidationReport",
    "TypeReport",
]
