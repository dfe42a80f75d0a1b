"""The ImportReport of a metadata import and the envelopes that carry it.

dhis2-core 2.42.5 (paths under `dhis-2/`):
- `dhis-services/dhis-service-dxf2/.../dxf2/metadata/DefaultMetadataImportService.java
  #importMetadata`: VALIDATE returns before `ImportReport#clean`; COMMIT drops type reports
  with total 0; ERRORS mode keeps only object reports with errors; displayName only in DEBUG;
- envelope: `webapi/utils/WebMessageUtils.java#importReport` (status != OK → 409, WARNING,
  "One or more errors occurred, please see full details in import report.");
- the task summary of an async import: the plain ImportReport with its importParams.
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core import webmessage
from scdi.sandbox.core.users import User
from scdi.sandbox.metadata.importer import Outcome
from scdi.upstream.releases import Release

ERROR_MESSAGE = "One or more errors occurred, please see full details in import report."


def type_reports(outcome: Outcome, keep_empty_types: bool, clean_objects: bool,
                 keep_display_name: bool, plain: bool = False) -> list[dict[str, Any]]:
    out = []
    for r in outcome.results:
        if not keep_empty_types and r.total == 0:
            continue
        reports = []
        if not plain:
            for index in sorted(r.reports):
                rep = dict(r.reports[index])
                if clean_objects and not rep["errorReports"]:
                    continue
                if not keep_display_name or rep.get("displayName") is None:
                    rep.pop("displayName", None)
                reports.append(rep)
        out.append({"klass": r.info.klass,
                    "stats": {"created": r.created, "updated": r.updated,
                              "deleted": r.deleted, "ignored": r.ignored, "total": r.total},
                    "objectReports": reports})
    return out


def report_body(outcome: Outcome, release: Release) -> dict[str, Any]:
    """ImportReportWebMessageResponse: status, stats, typeReports and its responseType
    (`webmessage.place_response_type`)."""
    validate = outcome.params.importMode == "VALIDATE"
    mode = outcome.params.importReportMode
    reports = type_reports(outcome, keep_empty_types=validate,
                           clean_objects=not validate and mode == "ERRORS",
                           keep_display_name=validate or mode == "DEBUG")
    return webmessage.place_response_type(release, {
        "responseType": release.metadata_import_response_type, "status": outcome.status,
        "stats": outcome.stats(), "typeReports": reports})


def task_summary(outcome: Outcome, user: User) -> dict[str, Any]:
    """The plain ImportReport of GET /api/system/taskSummaries/METADATA_IMPORT/{id}."""
    params = outcome.params.job_parameters(True)
    params.pop("userOverrideMode", None)
    return {"importParams": {"user": user.uid, **params}, "status": outcome.status,
            "typeReports": type_reports(outcome, False, True, False, plain=True),
            "stats": outcome.stats()}
