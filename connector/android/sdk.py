"""The DHIS2 Android SDK's limits and rules that a replay applies, each with the SDK file it is in.

Paths are under `core/src/main/java/org/hisp/dhis/android/` of dhis2-android-sdk 1.14.0 (the
release the Capture app builds on); the request order and the rules are those of the SDK's
`MetadataCall.kt`, `TrackerDownloadCall.kt` and the DTOs it parses answers into.
"""

from __future__ import annotations

# core/systeminfo/DHISVersion.kt: the supported prefixes (2.29 is listed but unsupported)
SUPPORTED_PREFIXES = tuple(f"2.{minor}" for minor in range(30, 44))
VERSION_FILE = "core/systeminfo/DHISVersion.kt"

# chunk sizes of the `filter=id:in:[…]` lists (CollectionsHelper.setPartition in each call)
PROGRAM_CHUNK = 50  # core/program/internal/ProgramCall.kt
STAGE_CHUNK = 64  # core/program/internal/ProgramStageCall.kt
TET_CHUNK = 140  # core/trackedentity/internal/TrackedEntityTypeCall.kt
TEA_CHUNK = 140  # core/trackedentity/internal/TrackedEntityAttributeCall.kt
RULE_CHUNK = 64  # core/program/internal/ProgramRuleCall.kt
OPTION_SET_CHUNK = 130  # core/option/internal/OptionSetCall.kt
OPTION_CHUNK = 64  # core/option/internal/OptionCall.kt
OPTION_PAGE = 5000  # core/option/internal/OptionCall.kt
ORG_UNIT_PAGE = 500  # core/organisationunit/internal/OrganisationUnitCall.kt
CATEGORY_CHUNK = 90  # core/category/internal/CategoryCall.kt
CATEGORY_OPTION_CHUNK = 171  # core/category/internal/CategoryOptionCall.kt (URL length)

# tracker download: the Capture app's limit (commonskmm PreferenceConstants: 500 records) split
# over (root capture org unit x program) pairs, pages of 50 (core/arch/call/queries/internal/BaseQuery.kt)
TEI_LIMIT = 500
TRACKER_PAGE = 50
LIMIT_FILE = "core/program/internal/ProgramDataDownloadParams.java"

# Enums parsed with valueOf: an unknown value throws and the metadata sync fails.
VALUE_TYPES = frozenset({
    "TEXT", "LONG_TEXT", "LETTER", "PHONE_NUMBER", "EMAIL", "BOOLEAN", "TRUE_ONLY", "DATE", "DATETIME", "TIME",
    "NUMBER", "UNIT_INTERVAL", "PERCENTAGE", "INTEGER", "INTEGER_POSITIVE", "INTEGER_NEGATIVE",
    "INTEGER_ZERO_OR_POSITIVE", "TRACKER_ASSOCIATE", "USERNAME", "COORDINATE", "ORGANISATION_UNIT", "REFERENCE",
    "AGE", "URL", "FILE_RESOURCE", "IMAGE", "GEOJSON", "MULTI_TEXT"})  # core/common/ValueType.kt
FEATURE_TYPES = frozenset({"NONE", "POINT", "POLYGON", "MULTI_POLYGON", "SYMBOL"})  # core/common/FeatureType.kt
ACCESS_LEVELS = frozenset({"OPEN", "AUDITED", "PROTECTED", "CLOSED"})  # core/program/AccessLevel.kt
PROGRAM_TYPES = frozenset({"WITH_REGISTRATION", "WITHOUT_REGISTRATION"})  # core/program/ProgramType.java
FORM_TYPES = frozenset({"DEFAULT", "CUSTOM", "SECTION", "SECTION_MULTIORG"})  # core/common/FormType.java
VALIDATION_STRATEGIES = frozenset({"ON_COMPLETE", "ON_UPDATE_AND_INSERT"})  # core/common/ValidationStrategy.kt
RULE_ACTION_TYPES = frozenset({
    "DISPLAYTEXT", "DISPLAYKEYVALUEPAIR", "HIDEFIELD", "HIDESECTION", "HIDEPROGRAMSTAGE", "ASSIGN", "SHOWWARNING",
    "WARNINGONCOMPLETE", "SHOWERROR", "ERRORONCOMPLETE", "CREATEEVENT", "SETMANDATORYFIELD", "SENDMESSAGE",
    "SCHEDULEMESSAGE", "HIDEOPTION", "SHOWOPTIONGROUP", "HIDEOPTIONGROUP"})  # core/program/ProgramRuleActionType.java
AGGREGATION_TYPES = frozenset({
    "SUM", "AVERAGE", "AVERAGE_SUM_ORG_UNIT", "LAST", "LAST_AVERAGE_ORG_UNIT", "LAST_LAST_ORG_UNIT",
    "LAST_IN_PERIOD", "LAST_IN_PERIOD_AVERAGE_ORG_UNIT", "FIRST", "FIRST_AVERAGE_ORG_UNIT", "FIRST_FIRST_ORG_UNIT",
    "COUNT", "STDDEV", "VARIANCE", "MIN", "MAX", "MIN_SUM_ORG_UNIT", "MAX_SUM_ORG_UNIT", "NONE", "CUSTOM",
    "DEFAULT"})  # core/common/AggregationType.kt
SEARCH_OPERATORS = frozenset({"LIKE", "EQ", "SW", "EW"})  # core/arch/repositories/scope/internal/TrackerSearchOperator

# (collection, property) -> (allowed values, the DTO that parses it)
ENUMS: dict[tuple[str, str], tuple[frozenset[str], str]] = {
    ("programs", "programType"): (PROGRAM_TYPES, "network/program/ProgramDTO.kt"),
    ("programs", "accessLevel"): (ACCESS_LEVELS, "network/program/ProgramDTO.kt"),
    ("programs", "featureType"): (FEATURE_TYPES, "network/program/ProgramDTO.kt"),
    ("programStages", "featureType"): (FEATURE_TYPES, "network/programstage/ProgramStageDTO.kt"),
    ("programStages", "formType"): (FORM_TYPES, "network/programstage/ProgramStageDTO.kt"),
    ("programStages", "validationStrategy"): (VALIDATION_STRATEGIES, "network/programstage/ProgramStageDTO.kt"),
    ("dataElements", "valueType"): (VALUE_TYPES, "network/dataelement/DataElementDTO.kt"),
    ("dataElements", "aggregationType"): (AGGREGATION_TYPES, "network/dataelement/DataElementDTO.kt"),
    ("trackedEntityTypes", "featureType"): (FEATURE_TYPES, "network/trackedentitytype/TrackedEntityTypeDTO.kt"),
    ("trackedEntityAttributes", "valueType"): (
        VALUE_TYPES, "network/trackedentityattribute/TrackedEntityAttributeDTO.kt"),
    ("trackedEntityAttributes", "aggregationType"): (
        AGGREGATION_TYPES, "network/trackedentityattribute/TrackedEntityAttributeDTO.kt"),
    ("trackedEntityAttributes", "preferredSearchOperator"): (
        SEARCH_OPERATORS, "network/trackedentityattribute/TrackedEntityAttributeDTO.kt"),
    ("trackedEntityAttributes", "blockedSearchOperators"): (
        SEARCH_OPERATORS, "network/trackedentityattribute/TrackedEntityAttributeDTO.kt"),
    ("optionSets", "valueType"): (VALUE_TYPES, "network/optionset/OptionSetDTO.kt"),
    ("programRuleActions", "programRuleActionType"): (RULE_ACTION_TYPES, "network/programrule/ProgramRuleActionDTO.kt"),
}

# Settings App entries the SDK reads; `info.dataStoreVersion` must be one it knows
SETTINGS_NAMESPACE = "ANDROID_SETTINGS_APP"
SETTINGS_VERSIONS = frozenset({"1.1", "2.0"})  # core/settings/internal/SettingsAppInfoCall.kt
