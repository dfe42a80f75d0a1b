"""Metadata the tracker importer and exporter read (dhis2-core's `TrackerPreheat`).

Objects come from the metadata store as DHIS2 JSON (`/api/metadata` shape). Collections such
as `programTrackedEntityAttributes` and `programStageDataElements` may be embedded in their
owner or given as `{id}` references to top-level objects; both are resolved here.

Sharing, org unit scopes and ownership are in `access.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scdi.sandbox.core.store import Store


def ref_id(ref: Any) -> str | None:
    """The uid in a DHIS2 reference (`{"id": ...}`) or a bare string."""
    if isinstance(ref, dict):
        value = ref.get("id")
        return value if isinstance(value, str) else None
    return ref if isinstance(ref, str) else None


# -- preheat --------------------------------------------------------------------------------
@dataclass
class Preheat:
    """Cached metadata lookups for one import or export (identifiers resolved per idScheme)."""

    store: Store
    id_schemes: dict[str, str] = field(default_factory=dict)
    _cache: dict[tuple[str, str, str], dict[str, Any] | None] = field(default_factory=dict)
    # An import asks for schemes and option codes once per value (millions of times at a
    # national size); both are fixed for the preheat's life.
    _schemes: dict[str, str] = field(default_factory=dict)
    _option_codes: dict[str, set[str]] = field(default_factory=dict)
    # FileResourceSupplier: the file resources an import's persisters can (un)assign
    file_uids: set[str] = field(default_factory=set)

    def scheme(self, kind: str) -> str:
        """`TrackerIdSchemeParams`: a per-kind scheme wins over `idScheme`."""
        found = self._schemes.get(kind)
        if found is None:
            written = self.id_schemes.get(kind) or self.id_schemes.get("idScheme") or "UID"
            # the scheme's name is matched in any case, an ATTRIBUTE's uid is kept as written
            # (`IdSchemeParamEditor` → `TrackerIdSchemeParam.ofAttribute(uid)`)
            name, colon, attribute = written.partition(":")
            found = name.upper() + colon + attribute
            self._schemes[kind] = found
        return found

    def find(self, plural: str, identifier: str | None, kind: str = "idScheme") -> dict[str, Any] | None:
        if not identifier:
            return None
        scheme = self.scheme(kind)
        key = (plural, scheme, identifier)
        if key in self._cache:
            return self._cache[key]
        obj: dict[str, Any] | None
        if scheme == "CODE":
            obj = self.store.find_by_code(plural, identifier)
        elif scheme == "NAME":
            obj = next((o for o in self.store.list_objects(plural) if o.get("name") == identifier), None)
        elif scheme.startswith("ATTRIBUTE:"):
            attr = scheme.split(":", 1)[1]
            obj = next((o for o in self.store.list_objects(plural)
                        if any(ref_id(av.get("attribute")) == attr and av.get("value") == identifier
                               for av in o.get("attributeValues") or [])), None)
        else:
            obj = self.store.get_object(plural, identifier)
        self._cache[key] = obj
        return obj

    def preheat_file_resources(self, tracked_entities: list[dict[str, Any]],
                               enrollments: list[dict[str, Any]],
                               events: list[dict[str, Any]]) -> None:
        """`preheat/supplier/FileResourceSupplier#preheatAdd` (2.41.9, 2.42.5, 2.43.1): the
        non-empty values of the payload's file attributes (tracked entities and enrollments)
        and file data values (events), FILE_RESOURCE and IMAGE (`ValueType#isFile`), of every
        object before validation. `AbstractTrackerPersister#assignFileResource` reads
        `preheat.get(FileResource.class, uid)`, so a file no payload value names (the one a
        changed or deleted value referred to) is left as it is."""
        files = ("FILE_RESOURCE", "IMAGE")
        for obj in [*tracked_entities, *enrollments]:
            for a in obj.get("attributes") or []:
                attr = self.attribute(a.get("attribute"))
                if attr is not None and attr.get("valueType") in files and a.get("value"):
                    self.file_uids.add(str(a["value"]))
        for ev in events:
            for dv in ev.get("dataValues") or []:
                de = self.data_element(dv.get("dataElement"))
                if de is not None and de.get("valueType") in files and dv.get("value"):
                    self.file_uids.add(str(dv["value"]))

    def by_uid(self, plural: str, uid: str | None) -> dict[str, Any] | None:
        if not uid:
            return None
        key = (plural, "UID", uid)
        if key not in self._cache:
            self._cache[key] = self.store.get_object(plural, uid)
        return self._cache[key]

    # -- typed lookups (payload identifiers) ------------------------------------------------
    def org_unit(self, ident: str | None) -> dict[str, Any] | None:
        return self.find("organisationUnits", ident, "orgUnitIdScheme")

    def program(self, ident: str | None) -> dict[str, Any] | None:
        return self.find("programs", ident, "programIdScheme")

    def program_stage(self, ident: str | None) -> dict[str, Any] | None:
        return self.find("programStages", ident, "programStageIdScheme")

    def data_element(self, ident: str | None) -> dict[str, Any] | None:
        return self.find("dataElements", ident, "dataElementIdScheme")

    def attribute(self, ident: str | None) -> dict[str, Any] | None:
        return self.find("trackedEntityAttributes", ident)

    def tracked_entity_type(self, ident: str | None) -> dict[str, Any] | None:
        return self.find("trackedEntityTypes", ident)

    def relationship_type(self, ident: str | None) -> dict[str, Any] | None:
        return self.find("relationshipTypes", ident)

    def category_option_combo(self, ident: str | None) -> dict[str, Any] | None:
        return self.find("categoryOptionCombos", ident, "categoryOptionComboIdScheme")

    def category_option(self, ident: str | None) -> dict[str, Any] | None:
        return self.find("categoryOptions", ident, "categoryOptionIdScheme")

    def option_set(self, uid: str | None) -> dict[str, Any] | None:
        return self.by_uid("optionSets", uid)

    # -- derived facts ------------------------------------------------------------------------
    def program_of_stage(self, stage: dict[str, Any]) -> dict[str, Any] | None:
        uid = ref_id(stage.get("program"))
        if uid:
            return self.by_uid("programs", uid)
        for prog in self.store.list_objects("programs"):
            if any(ref_id(s) == stage.get("id") for s in prog.get("programStages") or []):
                return prog
        return None

    def stages_of(self, program: dict[str, Any]) -> list[dict[str, Any]]:
        out = []
        for ref in program.get("programStages") or []:
            stage = self.by_uid("programStages", ref_id(ref))
            if stage:
                out.append(stage)
        if not out:
            out = [s for s in self.store.list_objects("programStages")
                   if ref_id(s.get("program")) == program.get("id")]
        return out

    def program_attributes(self, program: dict[str, Any]) -> list[tuple[str, bool]]:
        """(attribute uid, mandatory) for each `programTrackedEntityAttributes` entry."""
        out: list[tuple[str, bool]] = []
        for item in program.get("programTrackedEntityAttributes") or []:
            if "trackedEntityAttribute" not in item:
                item = self.by_uid("programTrackedEntityAttributes", ref_id(item)) or {}
            attr = ref_id(item.get("trackedEntityAttribute") or item.get("attribute"))
            if attr:
                out.append((attr, bool(item.get("mandatory"))))
        return out

    def tet_attributes(self, tet: dict[str, Any]) -> list[tuple[str, bool]]:
        out: list[tuple[str, bool]] = []
        for item in tet.get("trackedEntityTypeAttributes") or []:
            if "trackedEntityAttribute" not in item:
                item = self.by_uid("trackedEntityTypeAttributes", ref_id(item)) or {}
            attr = ref_id(item.get("trackedEntityAttribute"))
            if attr:
                out.append((attr, bool(item.get("mandatory"))))
        return out

    def stage_data_elements(self, stage: dict[str, Any]) -> list[tuple[str, bool]]:
        """(data element uid, compulsory) for each `programStageDataElements` entry."""
        out: list[tuple[str, bool]] = []
        for item in stage.get("programStageDataElements") or []:
            if "dataElement" not in item:
                item = self.by_uid("programStageDataElements", ref_id(item)) or {}
            de = ref_id(item.get("dataElement"))
            if de:
                out.append((de, bool(item.get("compulsory"))))
        return out

    def program_has_org_unit(self, program: dict[str, Any], org_unit_uid: str) -> bool:
        """`ProgramOrgUnitsSupplier`: the org unit is assigned to the program."""
        return any(ref_id(ou) == org_unit_uid for ou in program.get("organisationUnits") or [])

    def option_codes(self, obj: dict[str, Any]) -> set[str] | None:
        """Codes of the object's option set, or None when it has none."""
        set_uid = ref_id(obj.get("optionSet"))
        if not set_uid:
            return None
        if set_uid in self._option_codes:
            return self._option_codes[set_uid]
        option_set = self.option_set(set_uid) or {}
        codes: set[str] = set()
        for ref in option_set.get("options") or []:
            option = ref if "code" in ref else (self.by_uid("options", ref_id(ref)) or {})
            if option.get("code") is not None:
                codes.add(str(option["code"]))
        if not codes:
            codes = {str(o.get("code")) for o in self.store.list_objects("options")
                     if ref_id(o.get("optionSet")) == set_uid and o.get("code") is not None}
        self._option_codes[set_uid] = codes
        return codes

    def category_combo_is_default(self, program: dict[str, Any], key: str = "categoryCombo") -> bool:
        """`CategoryCombo#isDefault` of the object's combo `key`; none given is the default
        one (DefaultPreheatService#connectDefaults fills it on import)."""
        cc_uid = ref_id(program.get(key))
        if not cc_uid:
            return True
        cc = self.by_uid("categoryCombos", cc_uid) or {}
        return cc.get("name") == "default" or cc.get("code") == "default" or not cc

    def default_category_combo(self) -> dict[str, Any] | None:
        return next((cc for cc in self.store.list_objects("categoryCombos")
                     if cc.get("name") == "default"), None)

    def option_combo_is_default(self, aoc: dict[str, Any]) -> bool:
        """`aoc.getCategoryCombo().isDefault()`; an option combo stored without its combo is
        known by its name."""
        if ref_id(aoc.get("categoryCombo")):
            return self.category_combo_is_default(aoc)
        return aoc.get("name") == "default"

    def default_option_combo(self) -> dict[str, Any] | None:
        # Asked once per event without an attributeOptionCombo; read once per preheat, as
        # the other lookups are (metadata does not change during one import or export).
        key = ("categoryOptionCombos", "DEFAULT", "")
        if key not in self._cache:
            self._cache[key] = next(
                (coc for coc in self.store.list_objects("categoryOptionCombos")
                 if coc.get("name") == "default" or coc.get("code") == "default"), None)
        return self._cache[key]

    def org_unit_path(self, org_unit: dict[str, Any]) -> str:
        return str(org_unit.get("path") or f"/{org_unit.get('id')}")
