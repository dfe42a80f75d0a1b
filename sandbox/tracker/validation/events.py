"""Validators for events, in dhis2-core's order.

`validator/event/EventValidator.java`: all(each(seq(Existence, MandatoryFields, Meta,
UpdatableFields, DataRelations, SecurityOwnership, all(CategoryOpt, Date, Geo, Note,
DataValues, StatusUpdate, AssignedUser))), RepeatedEvents over the list). 2.43.1 runs
BlockEntryFormAfterCompletion, CategoryOptionCombo (taken out of DataRelations) and Status
between DataRelations and the split security validators (`Bundle.event_validators_split`).
Each function cites the class it copies.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from scdi.sandbox.access.acl import can_data_read, can_data_write
from scdi.sandbox.access.scope import can_capture, can_search, owner_access
from scdi.sandbox.core import users as sandbox_users
from scdi.sandbox.core.java_hash import hash_set_order
from scdi.sandbox.core.programs import is_registration
from scdi.sandbox.core.spring_params import java_blank
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.preheat import ref_id
from scdi.sandbox.tracker.temp_owners import has_temporary
from scdi.sandbox.tracker.validation import access_manager, expiry
from scdi.sandbox.tracker.validation.frame import (
    ENROLLMENT,
    EVENT,
    NOT_DELETE,
    Bundle,
    Check,
    DtoRef,
    EnumArg,
    Meta,
    Obj,
    StoredMeta,
    check_existence,
    check_uid,
    geometry,
    run_seq,
)
from scdi.sandbox.tracker.validation.values import (
    check_file_not_assigned,
    check_option_set,
    check_value_type,
)

# EventStatus.STATUSES_WITHOUT_DATA_VALUES / STATUSES_WITH_DATA_VALUES
NO_VALUES = ("SCHEDULE", "OVERDUE", "SKIPPED")
WITH_VALUES = ("ACTIVE", "COMPLETED", "VISITED")


def validate_event(b: Bundle, ev: dict[str, Any]) -> None:
    uid = ev["event"]
    strategy = b.strategy(EVENT, uid)
    r, p = b.reporter, b.preheat
    stored = b.store_get("event", uid)

    split = b.event_validators_split

    def dto() -> DtoRef:
        # 2.43.1 ParamsConverter: the events #buildTrackerEvents does not take are SingleEvents
        # (2.41/2.42 print both as their one Event class).
        return DtoRef(EVENT if is_tracker_event(b, ev) else "SINGLE_EVENT", ev)

    def existence() -> None:  # event/ExistenceValidator
        check_existence(r, EVENT, uid, stored, strategy, "E1082", "E1030", "E1032")

    def mandatory() -> None:  # event/MandatoryFieldsValidator
        # 2.43.1 asks a TrackerEvent for its enrollment here, before DataRelations (E1033).
        if split and ev.get("enrollment") is None and is_tracker_event(b, ev):
            r.error(EVENT, uid, "E1123", "enrollment")
        # MetadataIdentifier#isBlank: a reference of only whitespace is missing too
        if java_blank(ev.get("orgUnit")):
            r.error(EVENT, uid, "E1123", "orgUnit")
        if java_blank(ev.get("programStage")):
            r.error(EVENT, uid, "E1123", "programStage")
        stage = p.program_stage(ev.get("programStage"))
        if stage is not None:
            if p.program_of_stage(stage) is None:
                r.error(EVENT, uid, "E1008", Meta(ev["programStage"], kind="programStageIdScheme"))
            return
        if java_blank(ev.get("program")):
            r.error(EVENT, uid, "E1123", "program")

    def meta() -> None:  # event/MetaValidator
        if p.org_unit(ev["orgUnit"]) is None:
            r.error(EVENT, uid, "E1011", Meta(ev["orgUnit"], p.scheme("orgUnitIdScheme")))
        if p.program(ev["program"]) is None:
            r.error(EVENT, uid, "E1010", Meta(ev["program"], p.scheme("programIdScheme")))
        if p.program_stage(ev["programStage"]) is None:
            r.error(EVENT, uid, "E1013", Meta(ev["programStage"], p.scheme("programStageIdScheme")))

    def updatable() -> None:  # event/UpdatableFieldsValidator
        stage = p.program_stage(ev["programStage"]) or {}
        moved_enrollment = bool(stored and ev.get("enrollment")
                                and ev["enrollment"] != stored["enrollment"])
        # 2.43.1 checks a TrackerEvent's enrollment first (a SingleEvent has none).
        if split and moved_enrollment:
            r.error(EVENT, uid, "E1128", "enrollment")
        if stored and stage.get("id") != stored["program_stage"]:
            r.error(EVENT, uid, "E1128", "programStage")
        if not split and moved_enrollment:
            r.error(EVENT, uid, "E1128", "enrollment")

    def relations() -> None:  # event/DataRelationsValidator
        stage = p.program_stage(ev["programStage"]) or {}
        program = p.program(ev["program"]) or {}
        org_unit = p.org_unit(ev["orgUnit"]) or {}
        registration = is_registration(program)
        en_uid = ev.get("enrollment")
        stored_en = b.store_get("enrollment", en_uid)
        payload_en = b.find(ENROLLMENT, en_uid)

        def has_tracked_entity() -> None:
            if not ((stored_en or {}).get("te") or (payload_en or {}).get("trackedEntity")):
                if b.e1313_event_arg:
                    r.error(EVENT, uid, "E1313", dto())
                elif en_uid:
                    r.error(EVENT, uid, "E1313", uid)

        def stage_in_program() -> None:
            stage_program = p.program_of_stage(stage) or {}
            if stage_program.get("id") != program.get("id"):
                r.error(EVENT, uid, "E1089", dto(), Obj("programStages", stage), Obj("programs", program))

        def enrollment_program() -> None:
            en_program = stored_en["program"] if stored_en else (
                (p.program((payload_en or {}).get("program")) or {}).get("id"))
            if en_program != program.get("id"):
                r.error(EVENT, uid, "E1079", dto(), Obj("programs", program), en_uid)

        def program_has_org_unit() -> None:
            if not p.program_has_org_unit(program, org_unit.get("id", "")):
                r.error(EVENT, uid, "E1029", Obj("organisationUnits", org_unit), Obj("programs", program))

        if split:
            stage_in_program()
            program_has_org_unit()
            if is_tracker_event(b, ev):
                has_tracked_entity()
                enrollment_program()
            return
        if registration:
            has_tracked_entity()
        stage_in_program()
        if registration:
            if not en_uid:
                r.error(EVENT, uid, "E1033", uid)
            else:
                enrollment_program()
        program_has_org_unit()
        combo()

    def combo() -> None:
        """2.41.9/2.42.5 `DataRelationsValidator#validateEventCategoryOptionCombo`, 2.43.1
        `CategoryOptionComboValidator`: the combo, the options and the default combo rule are
        each checked before the chain stops."""
        program = p.program(ev["program"]) or {}
        # #hasNoAttributeOptionComboSet is MetadataIdentifier#isBlank: only whitespace is none
        aoc_ident = None if java_blank(ev.get("attributeOptionCombo")) else ev["attributeOptionCombo"]
        aoc = p.category_option_combo(aoc_ident) if aoc_ident else None
        valid = True
        if aoc_ident and aoc is None:
            r.error(EVENT, uid, "E1115", Meta(aoc_ident, kind="categoryOptionComboIdScheme"))
            valid = False
        for co in ev.get("attributeCategoryOptions") or []:
            if p.category_option(co) is None:
                r.error(EVENT, uid, "E1116", Meta(co, kind="categoryOptionIdScheme"))
                valid = False
        default_cc = p.category_combo_is_default(program)
        if not default_cc and ((not aoc_ident and not ev.get("attributeCategoryOptions"))
                               or (aoc is not None and p.option_combo_is_default(aoc))):
            r.error(EVENT, uid, "E1055")
            valid = False
        if not valid:
            return
        options = ev.get("attributeCategoryOptions") or []

        def combination_error() -> None:  # #addAOCAndCOCombinationError
            # The options as `Collectors.toSet()` gathers them and HashSet#toString prints them:
            # by the bucket of each String#hashCode (ties, whose order the source set of
            # MetadataIdentifier leaves to identity hashes, in payload order).
            given = "[" + ", ".join(hash_set_order(options)) + "]"
            if aoc_ident:
                r.error(EVENT, uid, "E1117", Meta(aoc_ident, kind="categoryOptionComboIdScheme"), given)
            else:
                cc = p.store.get_object("categoryCombos", ref_id(program.get("categoryCombo")) or "") \
                    or p.default_category_combo()
                r.error(EVENT, uid, "E1117", Obj("categoryCombos", cc) if cc else None, given)

        if aoc is None and not aoc_ident and default_cc:
            aoc = p.default_option_combo()  # #resolveAttributeOptionCombo
            if aoc is None:  # a store seeded without the default option combo
                return
        if aoc is None:  # #validateAttributeOptionComboFound
            combination_error()
            return
        if aoc_ident and ref_id(aoc.get("categoryCombo")) != ref_id(program.get("categoryCombo")) \
                and not (default_cc and p.option_combo_is_default(aoc)):
            program_cc = p.store.get_object("categoryCombos", ref_id(program.get("categoryCombo")) or "")
            r.error(EVENT, uid, "E1054", Meta(str(aoc_ident), kind="categoryOptionComboIdScheme"),
                    # program.getCategoryCombo()
                    Obj("categoryCombos", program_cc) if program_cc else None)
            return
        # #validateAttributeOptionComboMatchesCategoryOptions (#isAOCForCOs)
        wanted = {(p.category_option(co) or {}).get("id") for co in options}
        if options and wanted != {ref_id(o) for o in aoc.get("categoryOptions") or []}:
            combination_error()

    def block_entry_form() -> None:  # 2.43.1 event/BlockEntryFormAfterCompletionValidator
        stage = p.program_stage(ev["programStage"]) or {}
        if stage.get("blockEntryForm") is True and ev["status"] == "COMPLETED" \
                and stored and stored["status"] == "COMPLETED":
            r.error(EVENT, uid, "E1326", uid)

    def status() -> None:  # 2.43.1 event/StatusValidator
        if not is_tracker_event(b, ev) and ev["status"] in NO_VALUES:
            r.error(EVENT, uid, "E1318", EnumArg(ev["status"]))

    def security() -> None:  # event/SecurityOwnershipValidator
        if strategy in ("UPDATE", "DELETE") and stored:
            stage = p.by_uid("programStages", stored["program_stage"]) or {}
            program = p.program_of_stage(stage) or {}
        else:
            stage = p.program_stage(ev["programStage"]) or {}
            program = p.program(ev["program"]) or {}
        if strategy == "DELETE" and stored:
            org_unit = p.by_uid("organisationUnits", stored["org_unit"])
        else:
            org_unit = p.org_unit(ev["orgUnit"])
        source = stored if strategy != "CREATE" and stored else ev
        searchable = _creatable_in_search_scope(source)
        registration = is_registration(program)

        def org_unit_access(unit: dict[str, Any] | None, in_search: bool) -> None:
            ok = can_search(p, b.user, unit, effective=b.search_scope_adds_capture_units) if in_search \
                else can_capture(p, b.user, unit)
            if not ok:
                r.error(EVENT, uid, "E1000", b.user_ref(), Obj("organisationUnits", unit or {}))

        moved = stored is not None and strategy == "UPDATE" and \
            (org_unit or {}).get("id") != stored["org_unit"]
        if not registration and b.security_split:
            # 2.43.1 SecuritySingleEventValidator: the stored org unit on UPDATE/DELETE, the
            # capture scope only, then a new org unit in the capture scope.
            if strategy != "CREATE" and stored:
                org_unit_access(p.by_uid("organisationUnits", stored["org_unit"]), False)
            else:
                org_unit_access(org_unit, False)
            if moved:
                org_unit_access(org_unit, False)
        elif not registration or strategy in ("CREATE", "DELETE"):
            org_unit_access(org_unit, searchable)
            if not registration and moved:  # #validateUpdateAndDeleteEvent
                org_unit_access(org_unit, False)
        elif moved:
            org_unit_access(org_unit, False)
        te_uid = _event_te(b, ev, stored, strategy) if registration else None
        owner_uid = tracker_store.owner_of(b.store, te_uid, program.get("id", "")) if te_uid else None
        owner = p.by_uid("organisationUnits", owner_uid) if owner_uid else None
        if not registration:
            if not can_data_write(b.user, program):
                r.error(EVENT, uid, "E1091", b.user_ref(), Obj("programs", program))
        else:
            if not can_data_write(b.user, stage):
                r.error(EVENT, uid, "E1095", b.user_ref(), Obj("programStages", stage))
            if not can_data_read(b.user, program):
                r.error(EVENT, uid, "E1096", b.user_ref(), Obj("programs", program))
            tet = p.by_uid("trackedEntityTypes", ref_id(program.get("trackedEntityType")))
            if tet is not None and not can_data_read(b.user, tet):
                r.error(EVENT, uid, "E1104", b.user_ref(), Obj("programs", program),
                        Obj("trackedEntityTypes", tet))
            temporary = has_temporary(b.store, te_uid, program.get("id", ""), b.user.uid)
            if owner is not None and not owner_access(
                    p, b.user, program, owner, temporary, effective=b.search_scope_adds_capture_units):
                r.error(EVENT, uid, "E1102", b.user_ref(), te_uid, Obj("programs", program))
        category_options()
        if strategy == "UPDATE" and stored and stored["status"] == "COMPLETED" \
                and ev["status"] != "COMPLETED" and not b.user.has("F_UNCOMPLETE_EVENT"):
            r.error(EVENT, uid, "E1083", b.user_ref())

    def category_options() -> None:
        # #checkWriteCategoryOptionComboAccess (E1099): 2.41.9/2.42.5 the payload's combo on
        # CREATE, the stored one on UPDATE/DELETE; 2.43.1 the payload's on every strategy.
        if b.security_split or strategy == "CREATE" or not stored:
            ident = ev.get("attributeOptionCombo")
            combo = p.category_option_combo(ident) if ident else None
        else:
            combo = p.by_uid("categoryOptionCombos", stored["aoc"])
        for option in access_manager.combo_options(p, combo):
            if not can_data_write(b.user, option):
                r.error(EVENT, uid, "E1099", b.user_ref(), Obj("categoryOptions", option))

    def dates() -> None:  # event/DateValidator
        program = p.program(ev["program"]) or {}
        mandatory_occurred = not is_registration(program) or ev["status"] in ("ACTIVE", "COMPLETED")
        if ev.get("occurredAt") is None and mandatory_occurred:
            r.error(EVENT, uid, "E1031", dto())
            return
        if ev.get("scheduledAt") is None and ev["status"] == "SCHEDULE":
            r.error(EVENT, uid, "E1050", dto())
            return
        may_edit_expired = b.user.has("F_EDIT_EXPIRED")
        now = datetime.now(UTC)
        if b.event_expiry == "stored_completed_at" and not may_edit_expired:
            expiry_period(program, now)
        if ev.get("completedAt") and ev["status"] != "COMPLETED" and "E1051" in r.messages:
            r.error(EVENT, uid, "E1051", dto(), EnumArg(ev["status"]))
        if may_edit_expired:
            return
        completion_expiry(program, now)
        if b.event_expiry != "stored_completed_at":
            expiry_period(program, now)

    def completion_expiry(program: dict[str, Any], now: datetime) -> None:
        days = int(program.get("completeEventsExpiryDays") or 0)
        # 2.41.9/2.42.5 check only days > 0, 2.43.1 any days but 0 (a negative count expires
        # every completed event: `getCompleteEventsExpiryDays() == 0`, 2.43.1 :91)
        if days == 0 or (days < 0 and b.event_expiry != "stored_completed_at"):
            return
        completed_at = ev.get("completedAt") if ev["status"] == "COMPLETED" else None
        if b.event_expiry == "stored_completed_at":
            if stored is not None and stored["status"] == "COMPLETED" and stored["completed_at"]:
                completed_at = stored["completed_at"]
        elif ev["status"] != "COMPLETED":
            return
        elif completed_at is None and b.event_expiry == "completed_at_required":
            r.error(EVENT, uid, "E1042", dto())
            return
        if expiry.completion_expired(completed_at, days, now):
            r.error(EVENT, uid, "E1043", dto())

    def expiry_period(program: dict[str, Any], now: datetime) -> None:
        period_type = program.get("expiryPeriodType")
        if isinstance(period_type, dict):
            period_type = period_type.get("name") or period_type.get("id")
        days = int(program.get("expiryDays") or 0)
        if not period_type or days == 0:
            return
        reference = ev.get("occurredAt")
        if reference is None and (b.event_expiry != "stored_completed_at"
                                  or is_registration(program)):
            reference = ev.get("scheduledAt")
        if reference is None:
            r.error(EVENT, uid, "E1046", dto())
        elif expiry.period_expired(str(period_type), days, reference, now):
            r.error(EVENT, uid, "E1047", dto())

    def values() -> None:  # event/DataValuesValidator
        stage = p.program_stage(ev["programStage"]) or {}
        stage_des = p.stage_data_elements(stage)
        in_stage = {de for de, _ in stage_des}
        for dv in ev.get("dataValues") or []:
            de = p.data_element(dv["dataElement"])
            if de is None:
                r.error(EVENT, uid, "E1304", Meta(dv["dataElement"], kind="dataElementIdScheme"))
                continue
            if dv["value"] is None:
                continue
            check_option_set(r, EVENT, uid, dv["value"], de, p)
            # UsernameValueTypeSupplier preheats no data value: only the users the preheat
            # holds for other reasons are found
            check_value_type(r, EVENT, uid, dv["value"], de, "E1302", p, b.image_check_inverted,
                             b.regex_word_boundary_ascii, b.usernames)
            check_file_not_assigned(b, EVENT, uid, dv["value"], de)
        if ev["status"] in NO_VALUES and ev.get("dataValues"):
            r.error(EVENT, uid, "E1315", ev["status"], "[" + ", ".join(WITH_VALUES) + "]")
        def stored_de(de_uid: str) -> StoredMeta:
            # the stage's compulsory elements, each `toMetadataIdentifier(dataElement)`
            return StoredMeta("dataElements", p.by_uid("dataElements", de_uid) or {"id": de_uid})

        if _needs_data_value_check(ev, stage):
            payload = {(p.data_element(dv["dataElement"]) or {}).get("id", dv["dataElement"])
                       for dv in ev.get("dataValues") or []}
            # the stored values count as `MetadataIdentifier.ofUid(dv.getDataElement())`
            # (#getEventDataValues; 2.43.1 #getSavedDataValues), the compulsory ones in the
            # request's scheme (`toMetadataIdentifier`): under another dataElementIdScheme no
            # stored value answers for a compulsory element the payload leaves out
            saved = ({row["data_element"] for row in tracker_store.data_values(b.store, uid)}
                     if p.scheme("dataElementIdScheme") == "UID" else set())
            deleted = {(p.data_element(dv["dataElement"]) or {}).get("id", dv["dataElement"])
                       for dv in ev.get("dataValues") or [] if dv["value"] is None}
            for de_uid, compulsory in stage_des:
                if compulsory and de_uid not in payload | saved:
                    r.error(EVENT, uid, "E1303", stored_de(de_uid))
            for de_uid, compulsory in stage_des:
                if compulsory and de_uid in deleted:
                    r.error(EVENT, uid, "E1076", "DataElement", stored_de(de_uid))
        for dv in ev.get("dataValues") or [] if stage else []:  # checkNotNull(programStage)
            de = p.data_element(dv["dataElement"])
            if (de or {}).get("id", dv["dataElement"]) not in in_stage:
                r.error(EVENT, uid, "E1305", Meta(dv["dataElement"], kind="dataElementIdScheme"), str(stage["id"]))

    def status_update() -> None:  # event/StatusUpdateValidator (UPDATE only)
        if stored and stored["status"] in ("VISITED", "ACTIVE", "COMPLETED") and ev["status"] in NO_VALUES:
            r.error(EVENT, uid, "E1316", EnumArg(stored["status"]), EnumArg(ev["status"]))

    def assigned_user() -> None:  # event/AssignedUserValidator (2.41.9 = 2.42.5 = 2.43.1)
        user = ev.get("assignedUser")
        if user is None or not assigned_user_given(user):
            return
        username = user.get("username")
        if username is None or sandbox_users.find_by_username(b.store, username) is None:
            # the argument is `domain/User#toString`, already a String
            r.error(EVENT, uid, "E1118", r.domain.user(user))
        stage = p.program_stage(ev["programStage"]) or {}
        if not stage.get("enableUserAssignment"):
            r.warning(EVENT, uid, "E1120", Meta(ev["programStage"], kind="programStageIdScheme"))

    def notes() -> None:  # event/NoteValidator
        kept = []
        for note in ev.get("notes") or []:
            if tracker_store.note_exists(b.store, note["note"]):
                r.warning(EVENT, uid, "E1119", note["note"])
            else:
                kept.append(note)
        ev["notes"] = kept

    def category_option_dates() -> None:  # event/CategoryOptValidator
        # The program's default combo asks the default option combo, else the event's (the
        # chain before made sure it exists). The event's date is occurredAt, else scheduledAt
        # (2.43.1: a SingleEvent has none), else now; it must not be before an option's
        # startDate (E1056) nor after its endDate plus the program's openDaysAfterCoEndDate
        # (`CategoryOption#getAdjustedEndDate`, E1057); dates printed by I18nFormat#formatDate.
        program = p.program(ev["program"]) or {}
        if p.category_combo_is_default(program):
            combo = p.default_option_combo()
        else:
            ident = ev.get("attributeOptionCombo")
            combo = p.category_option_combo(ident) if ident else None
        moment = expiry.instant(ev.get("occurredAt")) or expiry.instant(ev.get("scheduledAt")) \
            or datetime.now(UTC)
        open_days = int(program.get("openDaysAfterCoEndDate") or 0)
        for option in access_manager.combo_options(p, combo):
            start = expiry.instant(option.get("startDate"))
            if start is not None and moment < start:
                r.error(EVENT, uid, "E1056", f"{moment:%Y-%m-%d}", f"{start:%Y-%m-%d}",
                        str(option.get("name")))
            end = expiry.instant(option.get("endDate"))
            if end is not None:
                end += timedelta(days=open_days)
                if moment > end:
                    r.error(EVENT, uid, "E1057", f"{moment:%Y-%m-%d}", f"{end:%Y-%m-%d}",
                            str(option.get("name")), str(program.get("name")))

    def all_of() -> None:
        program = p.program(ev["program"]) or {}
        category_option_dates()
        dates()
        geometry(b, EVENT, uid, ev.get("geometry"),
                 (p.program_stage(ev["programStage"]) or {}).get("featureType") or program.get("featureType"))
        notes()
        values()
        if strategy == "UPDATE":
            status_update()
        assigned_user()

    run_seq(r, strategy, [
        Check(lambda: check_uid(b, EVENT, ev), NOT_DELETE),
        Check(existence),
        Check(mandatory, NOT_DELETE),
        Check(meta, NOT_DELETE),
        Check(updatable, ("UPDATE",)),
        Check(relations, NOT_DELETE),
        *([Check(block_entry_form, ("UPDATE",)), Check(combo, NOT_DELETE), Check(status, NOT_DELETE)]
          if split else []),
        Check(security),
        Check(all_of, NOT_DELETE),
    ])


def assigned_user_given(user: dict[str, Any]) -> bool:
    """`domain/User#isEmpty` negated: a uid or a username that is not blank."""
    return any((user.get(key) or "").strip() for key in ("uid", "username"))


def events_in_validation_order(b: Bundle) -> list[dict[str, Any]]:
    """The events as `EventValidator` walks them: payload order, but on 2.43.1
    `TrackerBundle#getEvents` is the single events, then the tracker ones
    (`Stream.concat(singleEvents, trackerEvents)`), which a FAIL_FAST validation meets first.
    Not modelled: an event of a program without registration whose stage belongs to one with
    registration is in both of `ParamsConverter`'s lists and so validated twice there."""
    events = b.payload[EVENT]
    if not b.single_events:
        return list(events)
    tracker = [is_tracker_event(b, ev) for ev in events]
    return ([ev for ev, t in zip(events, tracker, strict=True) if not t]
            + [ev for ev, t in zip(events, tracker, strict=True) if t])


def is_tracker_event(b: Bundle, ev: dict[str, Any]) -> bool:
    """2.43.1 `ParamsConverter#buildTrackerEvents`: on an UPDATE or DELETE import
    (`TrackerImportStrategy#isUpdateOrDelete`) any event not stored as a single event
    (`TrackerPreheat#getSingleEvent`); otherwise the program or the stage's program has
    registration, or neither is known."""
    p = b.preheat
    if b.import_strategy in ("UPDATE", "DELETE"):
        stored = b.store_get("event", ev.get("event"))
        return stored is None or is_registration(p.by_uid("programs", stored.get("program")) or {})
    program = p.program(ev.get("program"))
    stage = p.program_stage(ev.get("programStage"))
    if program is not None and is_registration(program):
        return True
    if stage is not None and is_registration(p.program_of_stage(stage) or {}):
        return True
    return program is None and stage is None


def _creatable_in_search_scope(source: dict[str, Any]) -> bool:
    """`Event#isCreatableInSearchScope`: a SCHEDULE event without values or occurredAt."""
    occurred = source.get("occurredAt", source.get("occurred_at"))
    return source.get("status") == "SCHEDULE" and not source.get("dataValues") and not occurred


def _needs_data_value_check(ev: dict[str, Any], stage: dict[str, Any]) -> bool:
    """`ValidationUtils#needsToValidateDataValues` (validationStrategy ON_COMPLETE)."""
    if ev["status"] in NO_VALUES:
        return False
    on_complete = (stage.get("validationStrategy") or "ON_COMPLETE") == "ON_COMPLETE"
    return ev["status"] == "COMPLETED" if on_complete else True


def _event_te(b: Bundle, ev: dict[str, Any], stored: dict[str, Any] | None, strategy: str) -> str | None:
    en_uid = stored["enrollment"] if stored and strategy != "CREATE" else ev.get("enrollment")
    stored_en = b.store_get("enrollment", en_uid)
    if stored_en is not None:
        te: str | None = stored_en["te"]
        return te
    return (b.find(ENROLLMENT, en_uid) or {}).get("trackedEntity")


def validate_repeated_events(b: Bundle) -> None:
    """`event/RepeatedEventsValidator`: non-repeatable stages of tracker programs (E1039)."""
    p, r = b.preheat, b.reporter
    candidates = []
    stored_check = []
    for ev in b.payload[EVENT]:
        stage = p.program_stage(ev["programStage"])
        program = p.program_of_stage(stage) if stage else None
        if not (stage and program and is_registration(program) and not stage.get("repeatable")):
            continue
        invalid = r.is_invalid(EVENT, ev["event"])
        if not invalid:
            candidates.append((ev, stage))
        # 2.41.9 #validateNotMultipleEvents iterates bundle.getEvents(), not the valid ones.
        if not invalid or b.repeated_events_checks_invalid:
            stored_check.append((ev, stage))
    groups: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
    for ev, stage in candidates:
        if b.strategy(EVENT, ev["event"]) != "DELETE":
            groups.setdefault((stage["id"], ev.get("enrollment")), []).append(ev)
    for (_stage, _en), events in groups.items():
        if len(events) > 1:
            for ev in events:
                r.error(EVENT, ev["event"], "E1039", Meta(ev["programStage"], kind="programStageIdScheme"))
    for ev, stage in stored_check:
        if b.strategy(EVENT, ev["event"]) == "CREATE" and ev.get("enrollment") \
                and tracker_store.stage_has_event(b.store, ev["enrollment"], stage["id"]):
            r.error(EVENT, ev["event"], "E1039", Meta(ev["programStage"], kind="programStageIdScheme"))
