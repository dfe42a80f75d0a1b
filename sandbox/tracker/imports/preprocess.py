"""Preprocessing a tracker bundle before validation.

dhis2-core (paths under `dhis-services/dhis-service-tracker/.../tracker/imports/`):
`preprocess/StrategyPreProcessor` (CREATE_AND_UPDATE → CREATE or UPDATE per object, for every
strategy), `EventProgramPreProcessor` (an event's program from its stage, the stage of an event
program from the program; an event given only `attributeCategoryOptions` gets their option
combo: `#setAttributeOptionCombo`, 2.43.1 `CategoryComboPreprocessor`), `EventStatusPreProcessor` (VISITED → ACTIVE),
`EventWithoutRegistrationPreProcessor` (events of event programs join the program's hidden
enrollment; 2.41.9 and 2.42.5 only: 2.43.1 has no such preprocessor, its
`ParamsConverter#buildSingleEvents` makes them `SingleEvent`s, whose `builderFromEvent` drops
the payload's `enrollment` and `scheduledAt`), `DuplicateRelationshipsPreProcessor` (a
relationship given twice, or its inverse for a bidirectional type, is kept once).
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core.programs import is_registration
from scdi.sandbox.core.spring_params import java_blank
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.preheat import Preheat, ref_id
from scdi.sandbox.tracker.validation.frame import (
    EVENT,
    RELATIONSHIP,
    TYPES,
    UID_KEY,
    Bundle,
    scheme_identifier,
)
from scdi.sandbox.tracker.validation.relationships import item_of, relationship_key


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
            program = p.program(ev["program"])  # EventWithoutRegistrationPreProcessor
            if program is not None and not is_registration(program):
                ev["enrollment"] = (None if b.single_events
                                    else tracker_store.default_enrollment(b.store, program["id"]))
                if b.single_events and "scheduledAt" in ev:
                    # a SingleEvent has no scheduled date (2.43.1 `domain/SingleEvent`,
                    # `model/SingleEvent`, `SingleEvent.hbm.xml`): builderFromEvent drops it
                    ev["scheduledAt"] = None
        seen: list[str] = []
        kept = []
        for rel in b.payload[RELATIONSHIP]:  # DuplicateRelationshipsPreProcessor
            rtype = p.relationship_type(rel["relationshipType"])
            a, c = item_of(rel.get("from")), item_of(rel.get("to"))
            if rtype is None or a is None or c is None:
                kept.append(rel)
                continue
            key = relationship_key(rtype["id"], a, c)
            inverse = relationship_key(rtype["id"], c, a) if rtype.get("bidirectional") else None
            if key in seen or (inverse and inverse in seen):
                continue
            seen.append(key)
            kept.append(rel)
        b.payload[RELATIONSHIP] = kept
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
