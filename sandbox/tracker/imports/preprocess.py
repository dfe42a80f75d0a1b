"""Preprocessing a tracker bundle before validation.

dhis2-core (paths under `dhis-services/dhis-service-tracker/.../tracker/imports/`):
`preprocess/StrategyPreProcessor` (CREATE_AND_UPDATE → CREATE or UPDATE per object, for every
strategy), `EventProgramPreProcessor` (an event's program from its stage, the stage of an event
program from the program; an event given only `attributeCategoryOptions` gets their option
combo: `#setAttributeOptionCombo`, 2.43.1 `CategoryComboPreprocessor`), `EventStatusPreProcessor` (VISITED → ACTIVE),
`EventWithoutRegistrationPreProcessor` (events of event programs join the program's hidden
enrollment; 2.41.9 and 2.42.5 only: 2.43.1 has no such preprocessor, its
`ParamsConverter#buildSingleEvents` makes those `#buildTrackerEvents` leaves (`is_tracker_event`)
`SingleEvent`s, whose `builderFromEvent` drops the payload's `enrollment` and `scheduledAt`),
`AssignedUserPreProcessor` (2.43.1 `AssignedUserPreprocessor`, the same code: an assigned
user without a uid gets the uid of the account its username names, one without a username the
username of the account its uid names, from the users `UserSupplier` preheated; the loop
`return`s at the first event without an assigned user, so the events after it are left
as sent), `DuplicateRelationshipsPreProcessor` (a relationship joining the ends of one kept
before it, or for a bidirectional type their inverse, is dropped: `_distinct_relationships`).
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core import java_string
from scdi.sandbox.core import users as sandbox_users
from scdi.sandbox.core.programs import is_registration
from scdi.sandbox.core.spring_params import java_blank
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.imports.view_scalars import is_uid
from scdi.sandbox.tracker.preheat import Preheat, ref_id
from scdi.sandbox.tracker.validation.events import is_tracker_event
from scdi.sandbox.tracker.validation.frame import (
    EVENT,
    RELATIONSHIP,
    TYPES,
    UID_KEY,
    Bundle,
    scheme_identifier,
)


def preprocess(b: Bundle) -> None:
    p = b.preheat
    if b.import_strategy != "DELETE":
        for ev in b.payload[EVENT]:
            if not ev["program"] or not ev["programStage"]:  # EventProgramPreProcessor
                stage = p.program_stage(ev["programStage"]) if ev["programStage"] else None
                if stage is not None:
                    program = p.program_of_stage(stage)
                    if program is not None:
                        ev["program"] = _ident(p, program, "programIdScheme")
                elif ev["program"]:
                    program = p.program(ev["program"])
                    if program is not None and not is_registration(program):
                        stages = p.stages_of(program)
                        if stages:
                            ev["programStage"] = _ident(p, stages[0], "programStageIdScheme")
            _option_combo_from_options(p, ev)
            if ev["status"] == "VISITED":  # EventStatusPreProcessor
                ev["status"] = "ACTIVE"
            if b.single_events:
                if not is_tracker_event(b, ev):
                    # a SingleEvent has no enrollment and no scheduled date (2.43.1
                    # `domain/SingleEvent`, `model/SingleEvent`, `SingleEvent.hbm.xml`):
                    # builderFromEvent drops them
                    ev["enrollment"] = None
                    if "scheduledAt" in ev:
                        ev["scheduledAt"] = None
            else:
                _enrollment_without_registration(b, ev)
        _assigned_users(b)
        b.payload[RELATIONSHIP] = _distinct_relationships(b)
    # StrategyPreProcessor (runs for every strategy)
    for t in TYPES:
        for obj in b.payload[t]:
            uid = obj[UID_KEY[t]]
            if b.import_strategy == "CREATE_AND_UPDATE":
                stored = (tracker_store.get_relationship(b.store, uid) if t == RELATIONSHIP
                          else b.store_get(UID_KEY[t], uid))
                b.strategies[(t, uid)] = "UPDATE" if stored else "CREATE"
            else:
                b.strategies[(t, uid)] = b.import_strategy


_Ends = tuple[tuple[str, str, str], tuple[str, str, str]]


def _item_key(item: dict[str, str]) -> tuple[str, str, str]:
    """`RelationshipKeySupport#getRelationshipItemKey`: all three references (2.41.9
    `trimToEmpty`; from 2.42.5 UIDs, which hold no blanks), whatever number is set."""
    def ref(kind: str) -> str:
        return java_string.trim(item.get(kind) or "")
    return ref("trackedEntity"), ref("enrollment"), ref("event")


def _distinct_relationships(b: Bundle) -> list[dict[str, Any]]:
    """DuplicateRelationshipsPreProcessor#process (2.41.9, 2.42.5; 2.43.1
    DuplicateRelationshipsPreprocessor, the same code). A relationship without a known type, a
    `from` or a `to` is kept untouched; any other is dropped when its key, or for a
    bidirectional type its inverse, is among the keys of the ones kept before it, and
    `#isDuplicate` builds those keys with the type of the relationship at hand
    (`getRelationshipKey(r, relationshipType)`): so an earlier one of another type joining the
    same ends makes it a duplicate too. Not modelled: an earlier kept one without a `from` or
    `to` (its key is an IllegalStateException, "Unable to determine uid for relationship
    item"); it is passed over here."""
    kept: list[dict[str, Any]] = []
    kept_ends: list[_Ends] = []
    for rel in b.payload[RELATIONSHIP]:
        rtype = b.preheat.relationship_type(rel["relationshipType"])
        frm, to = rel.get("from"), rel.get("to")
        if rtype is None or frm is None or to is None:
            kept.append(rel)
            continue
        ends = (_item_key(frm), _item_key(to))
        inverse = (ends[1], ends[0]) if rtype.get("bidirectional") else None
        if ends in kept_ends or (inverse is not None and inverse in kept_ends):
            continue
        kept.append(rel)
        kept_ends.append(ends)
    return kept


def _enrollment_without_registration(b: Bundle, ev: dict[str, Any]) -> None:
    """EventWithoutRegistrationPreProcessor#process (2.41.9, 2.42.5): the program is the
    stage's when a stage is given (a stage it cannot find changes nothing), else the event's;
    an event program's hidden enrollment (`TrackerPreheat#getEnrollmentsWithoutRegistration`)
    replaces the event's, a tracker program leaves it as sent."""
    p = b.preheat
    if java_string.trim(ev["programStage"] or ""):
        stage = p.program_stage(ev["programStage"])
        program = p.program_of_stage(stage) if stage is not None else None
    elif java_string.trim(ev["program"] or ""):
        program = p.program(ev["program"])
    else:
        program = None
    if program is not None and not is_registration(program):
        ev["enrollment"] = tracker_store.default_enrollment(b.store, program["id"], program.get("created"))


def _assigned_users(b: Bundle) -> None:
    """AssignedUserPreProcessor#process (2.41.9, 2.42.5; 2.43.1 AssignedUserPreprocessor)."""
    for ev in b.payload[EVENT]:
        user = ev.get("assignedUser")
        if user is None:
            return  # the Java loop's `return`, not `continue`
        if user.get("uid") is None:
            account = (sandbox_users.find_by_username(b.store, user["username"])
                       if user.get("username") else None)
            if account is not None:
                user["uid"] = str(account["id"])
        if user.get("username") is None:
            account = _account_by_uid(b, user.get("uid"))
            if account is not None:
                user["username"] = sandbox_users.from_object(b.store, account).username


def _account_by_uid(b: Bundle, uid: str | None) -> dict[str, Any] | None:
    """UserSupplier preheats the users of the payload's valid uids (`CodeGenerator#isValidUid`)
    and `TrackerPreheat#getUserByUid` finds one by its exact uid."""
    if uid is None or not is_uid(uid):
        return None
    account: dict[str, Any] | None = b.store.get_object("users", uid)
    return account


def _option_combo_from_options(p: Preheat, ev: dict[str, Any]) -> None:
    """2.41.9/2.42.5 `EventProgramPreProcessor#setAttributeOptionCombo`, 2.43.1
    `CategoryComboPreprocessor` (both after the program is filled in): options without a combo
    name the one option combo of the program's combo that holds them all, as
    `EventCategoryOptionComboSupplier` preheated it (the validators then ask for exactly those
    options, `DataRelationsValidator#isAOCForCOs`); an unknown option, no such combo or several
    leave the combo blank for the validators to report."""
    # MetadataIdentifier#isBlank: a combo of only whitespace is none
    if not java_blank(ev["attributeOptionCombo"]) or not ev.get("attributeCategoryOptions"):
        return
    program = p.program(ev["program"])
    if program is None:
        return
    options = [p.category_option(co) for co in ev["attributeCategoryOptions"]]
    if any(o is None for o in options):
        return
    wanted = {o["id"] for o in options if o is not None}
    combo_id = ref_id(program.get("categoryCombo"))
    # HibernateCategoryOptionComboStore#getCategoryOptionCombo(CategoryCombo, Set): the combo's
    # option combos holding every given option (`:option in elements(co.categoryOptions)`), so a
    # subset finds a larger one; a NonUniqueResultException (several) counts as none.
    found = [coc for coc in p.store.list_objects("categoryOptionCombos")
             if ref_id(coc.get("categoryCombo")) == combo_id
             and wanted <= {ref_id(o) for o in coc.get("categoryOptions") or []}]
    if len(found) == 1:
        ev["attributeOptionCombo"] = _ident(p, found[0], "categoryOptionComboIdScheme")


def _ident(p: Preheat, obj: dict[str, Any], kind: str) -> str:
    scheme = p.scheme(kind)
    if scheme == "CODE":
        return str(obj.get("code") or obj["id"])
    if scheme == "NAME":
        return str(obj.get("name") or obj["id"])
    if scheme.startswith("ATTRIBUTE:"):
        # TrackerIdSchemeParams#toMetadataIdentifier: the value of the scheme's attribute
        value = scheme_identifier(obj, scheme)
        return value if value != "null" else str(obj["id"])
    return str(obj["id"])
