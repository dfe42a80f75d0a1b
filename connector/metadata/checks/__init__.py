"""The checks `scdi metadata validate` runs, one module per family.

Each module reads the package through `scdi.connector.metadata.index` (objects by UID, type and
file) and `scdi.connector.metadata.programs` (how programs, stages and rules hang together) and
returns findings; `scdi.connector.metadata.validate` runs them in order:

structure (the published JSON Schemas) · identity (UIDs, codes, names) · references · package_rules
(DHIS2's package-validator rules) · android (what Android Capture supports) · translations ·
privacy · expressions (DHIS2's parsers) · behaviour (rule test cases through DHIS2's rule engine).
"""

# Every finding id the checks emit, by family (a test keeps this equal to the ids in the
# check modules and gives each one a case that raises it and one that stays quiet).
FINDING_CODES: dict[str, frozenset[str]] = {
    "structure": frozenset({"structure.enum", "structure.required", "structure.schema", "structure.top-level",
                            "structure.type"}),
    "identity": frozenset({"identity.code-format", "identity.duplicate-code", "identity.duplicate-name",
                           "identity.duplicate-uid", "identity.length", "identity.uid-format",
                           "identity.uid-missing"}),
    "references": frozenset({"references.dangling", "references.instance", "references.placeholder",
                             "references.uid-format", "references.wrong-type"}),
    "package": frozenset({"package.action-other-program", "package.action-other-stage", "package.action-target",
                          "package.action-without-rule", "package.external-access", "package.favourites",
                          "package.option-group", "package.option-sort-order", "package.program-stage-name",
                          "package.rule-without-action", "package.translation-duplicate",
                          "package.translation-locale", "package.variable-duplicate", "package.variable-name",
                          "package.variable-other-program", "package.variable-source"}),
    "android": frozenset({"android.assign-concatenation", "android.assign-unquoted", "android.custom-form",
                          "android.generated-capacity", "android.generated-pattern", "android.generated-unique",
                          "android.option-set-size", "android.reserved-values", "android.unsupported-action",
                          "android.unsupported-function"}),
    "expressions": frozenset({"expressions.invalid", "expressions.parse", "expressions.skipped",
                              "expressions.type-warning", "expressions.unchecked", "expressions.unresolved"}),
    "behaviour": frozenset({"behaviour.case-failed", "behaviour.coverage", "behaviour.engine-error",
                            "behaviour.rule-error", "behaviour.test-case", "behaviour.test-file",
                            "behaviour.untested"}),
    "translations": frozenset({"translations.base-missing", "translations.coverage", "translations.empty",
                               "translations.missing"}),
    "privacy": frozenset({"privacy.access-level", "privacy.mandatory-name", "privacy.not-confidential"}),
    "release": frozenset({"release.length", "release.required"}),
}
ALL_FINDING_CODES = frozenset().union(*FINDING_CODES.values())
