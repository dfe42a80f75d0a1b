"""The tracker import: parameters, preprocess, validate, commit, ImportReport.

Follows dhis2-core (paths under `dhis-services/dhis-service-tracker/.../tracker/imports/`
unless noted):
- parameters: `params.py`;
- pipeline: `DefaultTrackerImportService#importTracker` (payload size, preprocess, validate,
  exit on error when atomicMode=ALL, commit, post-commit `updatedAt` bump; 2.43.1 sizes the
  payload after validation and the rule engine, and its job stage comes there);
- preprocess: `preprocess.py`;
- report: `report/ImportReport.java` (`withValidationErrors`, `withImportCompleted`: status OK
  even with errors under atomicMode=OBJECT), `buildImportReport` (warnings only for
  reportMode WARNINGS/FULL);
- the HTTP side (`TrackerImportController`: sync answer, async job and its endpoints) is in
  `routes.py`.
- `skipPatternValidation` is accepted but, as in dhis2-core 2.41–2.43, nothing reads it: the
  importer never checks generated values against their TextPattern
  (`ParamsConverter` copies it into `TrackerBundle#skipTextPatternValidation`, which no
  validator uses); a stored generated value only leaves the reserved pool
  (`AbstractTrackerPersister#handleReservedValue`).
- Program rules are not run (`skipRuleEngine` is accepted; the rule-engine stages still
  appear in job notifications unless skipped).
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core.store import Store
from scdi.sandbox.core.users import User
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.imports.commit import commit, delete
from scdi.sandbox.tracker.imports.params import ImportParams
from scdi.sandbox.tracker.imports.payload import Flattener
from scdi.sandbox.tracker.imports.preprocess import preprocess
from scdi.sandbox.tracker.preheat import Preheat
from scdi.sandbox.tracker.validation.enrollments import validate_enrollment
from scdi.sandbox.tracker.validation.events import (
    events_in_validation_order,
    is_tracker_event,
    validate_event,
    validate_repeated_events,
)
from scdi.sandbox.tracker.validation.frame import (
    ENROLLMENT,
    EVENT,
    RELATIONSHIP,
    TRACKED_ENTITY,
    TYPES,
    UID_KEY,
    Bundle,
    Issue,
    Reporter,
    filter_persistables,
)
from scdi.sandbox.tracker.validation.relationships import validate_relationship
from scdi.sandbox.tracker.validation.tracked_entities import validate_tracked_entity
from scdi.sandbox.tracker.validation.values import UniqueValues, preheated_usernames
from scdi.upstream.releases import Release


def validate(b: Bundle) -> None:
    """`DefaultValidator`: all(tracked entities, enrollments, events, relationships)."""
    uniques = UniqueValues(b)
    for te in b.payload[TRACKED_ENTITY]:
        validate_tracked_entity(b, te, uniques)
    for en in b.payload[ENROLLMENT]:
        validate_enrollment(b, en, uniques)
    for ev in events_in_validation_order(b):
        validate_event(b, ev)
    validate_repeated_events(b)
    for rel in b.payload[RELATIONSHIP]:
        validate_relationship(b, rel)


# -- report -----------------------------------------------------------------------------------
def _stats(created: int = 0, updated: int = 0, deleted: int = 0, ignored: int = 0) -> dict[str, int]:
    return {"created": created, "updated": updated, "deleted": deleted, "ignored": ignored,
            "total": created + updated + deleted + ignored}


def _validation_report(errors: list[Issue], warnings: list[Issue]) -> dict[str, Any]:
    return {"errorReports": [e.error_json() for e in errors],
            "warningReports": [w.warning_json() for w in warnings]}


def run_import(store: Store, release: Release, user: User, params: ImportParams,
               flat: Flattener, on_stage: Any = None) -> dict[str, Any]:
    """One import of a body already read (`flatten`), start to end; returns the full
    ImportReport (all warnings kept)."""
    stage = on_stage or (lambda _message: None)
    payload = {TRACKED_ENTITY: flat.tracked_entities, ENROLLMENT: flat.enrollments,
               EVENT: flat.events, RELATIONSHIP: flat.relationships}
    with store.lock:
        preheat = Preheat(store, dict(params.id_schemes))
        reporter = Reporter(release.tracker_message_catalog, release.tracker_messages_format_enums,
                            attribute_fields=release.tracker_attribute_fields,
                            domain_layout=release.tracker_domain_layout, scheme=preheat.scheme)
        b = Bundle(store=store, preheat=preheat, user=user, reporter=reporter,
                   import_strategy=params.importStrategy, payload=payload,
                   typed_uids=release.tracker_payload_uids_typed,
                   image_check_inverted=release.tracker_image_format_check_inverted,
                   regex_word_boundary_ascii=release.regex_word_boundary_ascii,
                   event_field_change_logs=release.tracker_event_field_change_logs,
                   single_events=release.tracker_single_events,
                   security_split=release.tracker_security_split,
                   event_validators_split=release.tracker_event_validators_split,
                   event_expiry=release.tracker_event_expiry,
                   change_logs_opt_in=release.tracker_change_logs_opt_in,
                   enrollment_option_combo=release.tracker_enrollment_option_combo,
                   repeated_events_checks_invalid=release.tracker_repeated_events_checks_invalid,
                   enrollment_dates_null_arg=release.tracker_enrollment_dates_null_arg,
                   e1313_event_arg=release.tracker_e1313_event_arg,
                   stored_by=release.tracker_stored_by,
                   enrollment_completed_at_from_payload=(
                       release.tracker_enrollment_completed_at_from_payload),
                   data_value_stamps=release.tracker_data_value_stamps,
                   attribute_change_logs_need_audit_log=(
                       release.tracker_attribute_change_logs_need_audit_log),
                   note_stored_by_user=release.tracker_note_stored_by_user,
                   new_null_attribute_saved=release.tracker_new_null_attribute_saved,
                   search_scope_adds_capture_units=release.tracker_search_scope_adds_capture_units,
                   event_update_unassigns_old_file=release.tracker_event_update_unassigns_old_file,
                   blank_data_value_written=release.tracker_blank_data_value_written,
                   data_value_provided_elsewhere_written=(
                       release.tracker_data_value_provided_elsewhere_written),
                   stored_value_leaves_reserved_pool=(
                       release.tracker_stored_value_leaves_reserved_pool))
        stage("Running PreHeat")
        b.usernames = preheated_usernames(b, release.tracker_preheat_current_user)
        preheat.preheat_file_resources(flat.tracked_entities, flat.enrollments, flat.events)
        sized_after_validation = release.tracker_ignored_excludes_dropped_children
        if not sized_after_validation:
            stage("Calculating Payload Size")
        payload_size = {t: len(payload[t]) for t in TYPES}
        stage("Running PreProcess")
        preprocess(b)
        stage("Running Validation")
        skip = params.validationMode == "SKIP" and user.superuser
        if not skip:
            validate(b)
        def exists(tracker_type: str, uid: str | None) -> bool:
            return _exists(store, tracker_type, uid)

        single_event = ((lambda ev: not is_tracker_event(b, ev))
                        if release.tracker_single_events else None)
        persistables, e5000s = filter_persistables(
            reporter, payload, params.importStrategy, exists, single_event=single_event)
        errors = list(reporter.errors) + [e for e in e5000s if e not in reporter.errors]
        sized = persistables
        warnings = reporter.warnings
        if params.validationMode == "FAIL_FAST" and reporter.errors:
            # DefaultValidationService#validate: the Reporter throws FailFastException on its
            # first error, so that object alone is invalid when PersistablesFilter runs: the
            # report holds that error and E5000 for its children, and the rest count as
            # persistable (2.43.1's payload size). Not modelled: with atomicMode=OBJECT DHIS2
            # then commits objects validation never reached; only valid ones are written here.
            first = reporter.errors[0]
            sized, e5000s = filter_persistables(
                reporter, payload, params.importStrategy, exists, single_event=single_event,
                invalid=lambda t, uid: (t, uid) == (first.tracker_type, first.uid))
            errors = [first] + [e for e in e5000s if e != first]
            warnings = reporter.warnings_before_errors  # none after the exception
        if not params.skipRuleEngine and params.importStrategy != "DELETE":
            stage("Running Rule Engine")
            stage("Running Rule Engine Validation")
        validation = _validation_report(errors, warnings)
        if sized_after_validation:
            # 2.43.1 DefaultTrackerImportService#calculatePayloadSize: distinct failed uids
            # per type plus what survived validation, so the stage follows the rule engine's.
            stage("Calculating Payload Size")
            payload_size = {t: len({e.uid for e in errors if e.tracker_type == t})
                            + len(sized[t]) for t in TYPES}
        if errors and params.atomicMode == "ALL":
            return {"status": "ERROR", "validationReport": validation,
                    "stats": _stats(ignored=sum(payload_size.values()))}
        stage("Commit Transaction")
        if params.importMode == "VALIDATE":
            type_reports: dict[str, dict[str, Any]] = {}
        else:
            write = delete if params.importStrategy == "DELETE" else commit
            with store.transaction():
                type_reports = write(b, persistables)
        stage("PostCommit")
    persisted_ignored = sum(r["stats"]["ignored"] for r in type_reports.values())
    totals = [sum(r["stats"][k] for r in type_reports.values())
              for k in ("created", "updated", "deleted")]
    for t, report in type_reports.items():
        s = report["stats"]
        done = s["created"] + s["updated"] + s["deleted"]
        report["stats"] = _stats(s["created"], s["updated"], s["deleted"], payload_size[t] - done)
    distinct_failed = len({e.uid for e in errors})
    return {"status": "OK", "validationReport": validation,
            "stats": _stats(totals[0], totals[1], totals[2], distinct_failed + persisted_ignored),
            "bundleReport": {"typeReportMap": type_reports}}


def _exists(store: Store, tracker_type: str, uid: str | None) -> bool:
    if not uid:
        return False
    if tracker_type == RELATIONSHIP:
        return tracker_store.get_relationship(store, uid) is not None
    return tracker_store.get(store, UID_KEY[tracker_type], uid) is not None


def for_report_mode(report: dict[str, Any], report_mode: str | None) -> dict[str, Any]:
    """`DefaultTrackerImportService#buildImportReport`: warnings only for WARNINGS/FULL."""
    out = dict(report)
    validation = dict(report.get("validationReport") or {"errorReports": [], "warningReports": []})
    if report_mode not in ("WARNINGS", "FULL"):
        validation["warningReports"] = []
    out["validationReport"] = validation
    order = ("status", "validationReport", "stats", "bundleReport", "message")
    return {k: out[k] for k in order if k in out}
