"""Which DHIS2 authorities the deploy and the sync need.

Metadata creation authorities come from dhis2-core's schema descriptors
(`dhis-services/dhis-service-schema/src/main/java/org/hisp/dhis/schema/descriptors/
*SchemaDescriptor.java`, the CREATE / CREATE_PUBLIC entries). The metadata importer checks them
per object type and answers E3000 when one is missing. "ALL" (superuser) covers everything.
"""

from __future__ import annotations

from collections.abc import Iterable

SUPERUSER = "ALL"

# object type (plural, as in a metadata package) → authority to create it
CREATE_AUTHORITIES: dict[str, str] = {
    "categoryOptions": "F_CATEGORY_OPTION_PUBLIC_ADD",
    "dashboards": "F_DASHBOARD_PUBLIC_ADD",
    "dataElements": "F_DATAELEMENT_PUBLIC_ADD",
    "dataSets": "F_DATASET_PUBLIC_ADD",
    "eventVisualizations": "F_EVENT_VISUALIZATION_PUBLIC_ADD",
    "indicatorTypes": "F_INDICATORTYPE_ADD",
    "indicators": "F_INDICATOR_PUBLIC_ADD",
    "optionSets": "F_OPTIONSET_PUBLIC_ADD",
    "options": "F_OPTIONSET_PUBLIC_ADD",
    "programIndicators": "F_PROGRAM_INDICATOR_PUBLIC_ADD",
    "programRuleActions": "F_PROGRAM_RULE_MANAGEMENT",
    "programRuleVariables": "F_PROGRAM_RULE_MANAGEMENT",
    "programRules": "F_PROGRAM_RULE_ADD",
    "programSections": "F_PROGRAM_PUBLIC_ADD",
    "programStageSections": "F_PROGRAMSTAGE_ADD",
    "programStages": "F_PROGRAMSTAGE_ADD",
    "programs": "F_PROGRAM_PUBLIC_ADD",
    "relationshipTypes": "F_RELATIONSHIPTYPE_PUBLIC_ADD",
    "trackedEntityAttributes": "F_TRACKED_ENTITY_ATTRIBUTE_PUBLIC_ADD",
    "trackedEntityTypes": "F_TRACKED_ENTITY_ADD",
    "userGroups": "F_USERGROUP_PUBLIC_ADD",
    "userRoles": "F_USERROLE_PUBLIC_ADD",
    "visualizations": "F_VISUALIZATION_PUBLIC_ADD",
}

# Roster sync writes tracker data: access comes from sharing and capture org units, but
# removing a member who has events needs cascade delete, and re-opening a completed event
# needs F_UNCOMPLETE_EVENT (tracker/imports/validation/validator/*SecurityValidator.java).
SYNC_AUTHORITIES: tuple[str, ...] = ("F_TEI_CASCADE_DELETE", "F_UNCOMPLETE_EVENT")


def deploy_authorities(types: Iterable[str] | None = None) -> list[str]:
    """The authorities a deploy of these object types needs (all known types by default)."""
    wanted = (
        CREATE_AUTHORITIES if types is None else {t: CREATE_AUTHORITIES[t] for t in types if t in CREATE_AUTHORITIES}
    )
    return sorted(set(wanted.values()))


def missing(needed: Iterable[str], held: Iterable[str]) -> list[str]:
    held_set = set(held)
    if SUPERUSER in held_set:
        return []
    return sorted(set(needed) - held_set)
