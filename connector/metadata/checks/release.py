"""Release: what the target DHIS2 release requires or limits beyond what 2.41 does.

The structure check holds every object to DHIS2 2.41's published JSON Schemas; this one adds
the differences of the target release from the same schema facts the sandbox answers with
(`facts.type_facts`, the set named by `Release.schema_facts`): a property that release maps
not-null (E4000: 2.42 requires a tracked entity type's `shortName`) or caps shorter (E4001:
2.42 caps the `shortName` of stages, sections, options and visualizations at 50). Uniqueness
at the target release is the identity check's (E5003). Nothing here for a 2.41 target.
"""

from __future__ import annotations

from scdi.connector.findings import Finding, Severity
from scdi.connector.metadata.facts import release_named, type_facts
from scdi.connector.metadata.index import PackageIndex

BASELINE = "2.41"


def check_release(index: PackageIndex, release: str) -> list[Finding]:
    target = release_named(release)
    baseline = release_named(BASELINE)
    if target.schema_facts == baseline.schema_facts:
        return []
    findings: list[Finding] = []
    for obj in index.objects:
        facts, before = type_facts(obj.type, target.minor), type_facts(obj.type, baseline.minor)
        if facts is None or before is None:
            continue
        for prop in sorted(facts.required - before.required):
            value = obj.data.get(prop)
            if value is None or value == "":
                findings.append(index.finding(
                    Severity.ERROR, "release.required",
                    f"DHIS2 {target.minor} requires {prop} on a {obj.type} (E4000); "
                    f"{BASELINE} did not", obj, prop))
        for prop, limit in sorted(facts.max_length.items()):
            if before.max_length.get(prop, limit + 1) <= limit:
                continue  # the same or a stricter limit at 2.41: the structure check's
            value = obj.data.get(prop)
            if isinstance(value, str) and len(value) > limit:
                findings.append(index.finding(
                    Severity.ERROR, "release.length",
                    f"{len(value)} characters; DHIS2 {target.minor} allows {limit} (E4001)", obj, prop))
    return findings
