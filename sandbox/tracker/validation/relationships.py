"""Validators for relationships, in dhis2-core's order, and the relationship key.

`validator/relationship/RelationshipValidator.java`: seq(Existence, MandatoryFields, Meta, Link,
Constraint, SecurityOwnership, Duplication). Each function cites the class it copies.
"""

from __future__ import annotations

from typing import Any

from scdi.sandbox.core.spring_params import java_blank
from scdi.sandbox.tracker import store as tracker_store
from scdi.sandbox.tracker.preheat import ref_id
from scdi.sandbox.tracker.validation import access_manager
from scdi.sandbox.tracker.validation.frame import (
    ENROLLMENT,
    EVENT,
    NOT_DELETE,
    RELATIONSHIP,
    TRACKED_ENTITY,
    TYPE_NAME,
    Bundle,
    Check,
    EnumArg,
    Meta,
    StoredMeta,
    check_uid,
    run_seq,
    scheme_identifier,
)


def item_of(item: dict[str, str] | None) -> tuple[str, str] | None:
    """(kind, uid) of a relationship item with exactly one reference."""
    refs = [(k, v) for k, v in (item or {}).items() if v]
    return refs[0] if len(refs) == 1 else None


def relationship_key(type_uid: str, a: tuple[str, str], c: tuple[str, str]) -> str:
    """`RelationshipKey`: type plus both ends (kind and uid)."""
    return f"{type_uid}_{a[0]}_{a[1]}_{c[0]}_{c[1]}"


_CONSTRAINT_KIND = {"TRACKED_ENTITY_INSTANCE": ("trackedEntity", TRACKED_ENTITY),
                    "PROGRAM_INSTANCE": ("enrollment", ENROLLMENT),
                    "PROGRAM_STAGE_INSTANCE": ("event", EVENT)}
_KIND_TYPE = {"trackedEntity": TRACKED_ENTITY, "enrollment": ENROLLMENT, "event": EVENT}


def validate_relationship(b: Bundle, rel: dict[str, Any]) -> None:
    uid = rel["relationship"]
    strategy = b.strategy(RELATIONSHIP, uid)
    r, p = b.reporter, b.preheat
    stored = tracker_store.get_relationship(b.store, uid)

    def existence() -> None:  # relationship/ExistenceValidator
        if stored and stored["deleted"]:
            r.error(RELATIONSHIP, uid, "E4017", uid)
        if stored and not stored["deleted"] and strategy == "UPDATE":
            r.warning(RELATIONSHIP, uid, "E4015", uid)
        if stored and not stored["deleted"] and strategy == "CREATE":
            r.error(RELATIONSHIP, uid, "E4015", uid)
        if not stored and strategy in ("UPDATE", "DELETE"):
            r.error(RELATIONSHIP, uid, "E4016", uid)

    def mandatory() -> None:  # relationship/MandatoryFieldsValidator
        if item_of(rel.get("from")) is None:
            r.error(RELATIONSHIP, uid, "E4001", "from", uid)
        if item_of(rel.get("to")) is None:
            r.error(RELATIONSHIP, uid, "E4001", "to", uid)
        if java_blank(rel.get("relationshipType")):  # MetadataIdentifier#isBlank
            r.error(RELATIONSHIP, uid, "E1124", "relationshipType")

    def meta() -> None:  # relationship/MetaValidator
        if p.relationship_type(rel["relationshipType"]) is None:
            r.error(RELATIONSHIP, uid, "E4006", Meta(rel["relationshipType"]))

    def link() -> None:  # relationship/LinkValidator (CREATE)
        if item_of(rel["from"]) == item_of(rel["to"]):
            r.error(RELATIONSHIP, uid, "E4000", uid)

    def constraint() -> None:  # relationship/ConstraintValidator (CREATE)
        rtype = p.relationship_type(rel["relationshipType"]) or {}
        for side in ("from", "to"):
            con = rtype.get(f"{side}Constraint") or {}
            wanted = _CONSTRAINT_KIND.get(con.get("relationshipEntity", ""))
            if wanted is None:
                continue
            kind, uid_ = item_of(rel[side]) or ("", "")
            if kind != wanted[0]:
                r.error(RELATIONSHIP, uid, "E4010", side, TYPE_NAME[wanted[1]],
                        TYPE_NAME.get(_KIND_TYPE.get(kind, ""), "null"))
                continue
            if not _exists(b, kind, uid_):
                r.error(RELATIONSHIP, uid, "E4012", TYPE_NAME[wanted[1]], uid_)
                continue
            if kind == "trackedEntity":
                te_type = _te_type(b, uid_)
                want = ref_id(con.get("trackedEntityType"))
                if want and te_type and te_type != want:
                    # ConstraintValidator#validateTrackedEntityType: the wanted type as
                    # `MetadataIdentifier#identifierOf` (the idScheme's identifier, a String,
                    # null when it has none) and the entity's type as a MetadataIdentifier
                    wanted_type = b.preheat.by_uid("trackedEntityTypes", want) or {"id": want}
                    shown = scheme_identifier(wanted_type, p.scheme("idScheme"))
                    r.error(RELATIONSHIP, uid, "E4014", side, None if shown == "null" else shown,
                            _te_type_ref(b, uid_))

    def security() -> None:  # relationship/SecurityOwnershipValidator → TrackerAccessManager
        if strategy == "CREATE":
            rtype = p.relationship_type(rel["relationshipType"])
            if not access_manager.may_create(
                    b, rtype, (item_of(rel.get("from")), item_of(rel.get("to")))):
                r.error(RELATIONSHIP, uid, "E4020", b.user_ref(), uid)
        elif strategy == "DELETE" and stored:
            rtype = p.by_uid("relationshipTypes", stored["type"])
            ends = ((stored["from_kind"], stored["from_uid"]), (stored["to_kind"], stored["to_uid"]))
            if not access_manager.may_delete(b, rtype, ends):
                r.error(RELATIONSHIP, uid, "E4020", b.user_ref(), uid)

    def duplication() -> None:  # relationship/DuplicationValidator (CREATE)
        rtype = p.relationship_type(rel["relationshipType"]) or {}
        a, c = item_of(rel["from"]), item_of(rel["to"])
        if a is None or c is None:
            return
        key = relationship_key(rtype.get("id", ""), a, c)
        inverse = relationship_key(rtype.get("id", ""), c, a) if rtype.get("bidirectional") else None
        if tracker_store.relationship_key_exists(b.store, key, inverse):
            r.error(RELATIONSHIP, uid, "E4018", uid, EnumArg(_KIND_TYPE[a[0]]), a[1],
                    EnumArg(_KIND_TYPE[c[0]]), c[1])

    run_seq(r, strategy, [
        Check(lambda: check_uid(b, RELATIONSHIP, rel), NOT_DELETE),
        Check(existence),
        Check(mandatory, NOT_DELETE),
        Check(meta, NOT_DELETE),
        Check(link, ("CREATE",)),
        Check(constraint, ("CREATE",)),
        Check(security),
        Check(duplication, ("CREATE",)),
    ])


def _exists(b: Bundle, kind: str, uid: str) -> bool:
    return b.store_get(kind, uid) is not None or b.find(_KIND_TYPE[kind], uid) is not None


def _te_type_ref(b: Bundle, uid: str) -> Meta | StoredMeta:
    """`ConstraintValidator#getRelationshipTypeUidFromTrackedEntity`: a stored entity's type by
    the idScheme (`toMetadataIdentifier`), else the payload entity's reference as written."""
    stored = b.store_get("trackedEntity", uid)
    if stored is not None:
        tet = b.preheat.by_uid("trackedEntityTypes", str(stored["tet"]))
        return StoredMeta("trackedEntityTypes", tet or {"id": stored["tet"]})
    payload = b.find(TRACKED_ENTITY, uid) or {}
    return Meta(str(payload.get("trackedEntityType")))


def _te_type(b: Bundle, uid: str) -> str | None:
    stored = b.store_get("trackedEntity", uid)
    if stored is not None:
        return str(stored["tet"])
    payload = b.find(TRACKED_ENTITY, uid)
    tet = b.preheat.tracked_entity_type((payload or {}).get("trackedEntityType"))
    return tet["id"] if tet else (payload or {}).get("trackedEntityType")
