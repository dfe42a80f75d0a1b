"""Validate a DHIS2 metadata package: our own (the `metadata/` folder) or any package file.

    report = validate_path(Path("metadata"))          # builds, attributes findings to sources
    report = validate_path(Path("who-package.json"))   # any DHIS2 export or package file

Checks, one module per family in `checks/`: structure (published JSON Schemas), identity, references,
DHIS2's package-validator rules, Android, expressions (DHIS2's parsers), behaviour (rule test
cases through DHIS2's rule engine), translations, privacy and release (what the target DHIS2
release requires beyond 2.41). Expressions and behaviour share one Node process per run. Our
own package (code `SCDI_…`, or the metadata folder) is held to the project's rules (Vietnamese
translations, privacy, every code in upper case, rule test coverage) as errors; a third-party
package gets DHIS2's rules and package practice, the practice as warnings, a translation
coverage summary and none of this project's house rules (privacy).

The target release (`dhis2_version`: 2.41, 2.42 or 2.43) defaults to the package's own
minimum (`package.DHIS2Version`); a deploy validates for the server's release.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from scdi.connector import findings as F
from scdi.connector.errors import EngineUnavailable
from scdi.connector.findings import Finding, Severity
from scdi.connector.metadata.checks.android import check_android
from scdi.connector.metadata.checks.behaviour import (
    LoadedTests,
    load_rule_tests,
    plan_behaviour,
    read_behaviour,
)
from scdi.connector.metadata.checks.expressions import (
    broken_rules,
    plan_expressions,
    read_expressions,
)
from scdi.connector.metadata.checks.identity import check_identity
from scdi.connector.metadata.checks.package_rules import check_package_rules
from scdi.connector.metadata.checks.privacy import check_privacy
from scdi.connector.metadata.checks.references import check_references
from scdi.connector.metadata.checks.release import check_release
from scdi.connector.metadata.checks.structure import check_structure
from scdi.connector.metadata.checks.translations import check_translations, translation_coverage
from scdi.connector.metadata.engines import engines_available, run_engines
from scdi.connector.metadata.facts import release_named
from scdi.connector.metadata.index import Dependency, PackageIndex
from scdi.connector.metadata.programs import build_model
from scdi.connector.metadata.source import PackageSource, load_file, load_folder, load_source

OWN_PACKAGE_PREFIX = "SCDI"
REQUIRED_LOCALES = ("vi",)


class ValidationReport(BaseModel):
    source: str
    package: dict[str, Any] = Field(default_factory=dict)
    strict: bool
    dhis2_version: str = ""
    # Objects as `build` and `deploy` count them (the package's top-level objects); `embedded`:
    # the objects nested in them that are checked too (program stage data elements, …).
    objects: int
    embedded: int = 0
    findings: list[Finding]
    engines: dict[str, str | None] = Field(default_factory=dict)
    rule_cases: int = 0

    @property
    def ok(self) -> bool:
        return not F.has_errors(self.findings)

    def summary(self) -> dict[str, int]:
        return F.summary(self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source, "package": self.package, "strict": self.strict,
            "dhis2Version": self.dhis2_version,
            "objects": self.objects, "embedded": self.embedded, "ruleCases": self.rule_cases, "engines": self.engines,
            "summary": self.summary(), "ok": self.ok, "findings": F.to_json(self.findings),
        }


def validate_package(
    package: dict[str, Any],
    *,
    source: str = "package",
    default_file: str | None = None,
    source_files: Mapping[str, str] | None = None,
    dependencies: Mapping[str, Dependency] | None = None,
    rule_tests: LoadedTests | None = None,
    android_settings: Mapping[str, Any] | None = None,
    strict: bool | None = None,
    engines: bool = True,
    dhis2_version: str | None = None,
) -> ValidationReport:
    """Every check over an in-memory package. `engines=False` skips the Node checks (and says
    so in a finding) for machines without Node. `dhis2_version`: the release to validate for
    (default: the package's own minimum, `package.DHIS2Version`)."""
    raw_block = package.get("package")
    block: dict[str, Any] = raw_block if isinstance(raw_block, dict) else {}
    if strict is None:
        strict = str(block.get("code", "")).startswith(OWN_PACKAGE_PREFIX)
    release = target_release(block, dhis2_version)
    index = PackageIndex.build(package, default_file=default_file, source_files=source_files,
                               dependencies=dependencies)
    model = build_model(index)
    findings: list[Finding] = []
    findings += check_structure(index)
    findings += check_identity(index, strict=strict, release=release)
    findings += check_references(index)
    findings += check_package_rules(index, model)
    findings += check_android(index, android_settings)
    if strict:
        findings += check_translations(index, required=REQUIRED_LOCALES)
    else:
        findings += translation_coverage(index)
    if strict:
        findings += check_privacy(index, model, strict=strict)
    findings += check_release(index, release)

    tests = rule_tests or LoadedTests()
    expression_plan = plan_expressions(index, model)
    behaviour_plan = plan_behaviour(index, model, tests)
    versions: dict[str, str | None] = {}
    if engines:
        answer = run_engines(expression_plan.jobs, behaviour_plan.jobs)
        versions = answer.versions
        findings += read_expressions(index, model, expression_plan, answer)
        # Coverage is judged only where the test cases are at hand: a source folder always
        # brings its rule-tests/ (possibly empty); a built package file never carries them.
        if rule_tests is not None:
            findings += read_behaviour(
                index, model, behaviour_plan, answer, strict=strict,
                broken_rules=broken_rules(index, model, expression_plan, answer))
    else:
        findings.append(index.finding(
            Severity.WARNING, "expressions.skipped",
            "rule expressions, program indicators and rule test cases were not checked "
            "(DHIS2's engines need Node.js)"))
    return ValidationReport(
        source=source, package=dict(block), strict=strict, dhis2_version=release,
        objects=sum(1 for _ in index.top_level()),
        embedded=sum(1 for obj in index.objects if obj.parent is not None),
        findings=F.sort_findings(F.dedupe(findings)), engines=versions,
        rule_cases=len(behaviour_plan.jobs),
    )


def target_release(block: Mapping[str, Any], dhis2_version: str | None = None) -> str:
    """The DHIS2 minor release to validate for: the one asked, else the package's minimum
    (a package for 2.40 is checked as 2.41's, the oldest supported), else the default."""
    asked = dhis2_version or str(block.get("DHIS2Version") or "") or None
    return release_named(asked).minor


def validate_source(source: PackageSource, *, engines: bool | None = True,
                    dhis2_version: str | None = None) -> ValidationReport:
    """Every check over a package read from disk, its rule test cases and settings included.

    `engines`: True needs DHIS2's engines (EngineUnavailable without them), False skips them,
    None runs them when Node and the npm packages are there."""
    tests = None
    if source.rule_tests is not None:
        tests = load_rule_tests([Path(p) for p in source.rule_tests],
                                label_root=Path(source.root) if source.root else None)
    return validate_package(
        source.package, source=source.source, default_file=source.default_file,
        source_files=source.source_files, dependencies=source.dependencies, rule_tests=tests,
        android_settings=source.android_settings, strict=source.strict,
        engines=engines_available() if engines is None else engines, dhis2_version=dhis2_version)


def validate_folder(root: Path, *, engines: bool = True, dhis2_version: str | None = None) -> ValidationReport:
    """Build our package from its source folder and validate it, naming source files."""
    return validate_source(load_folder(root), engines=engines, dhis2_version=dhis2_version)


def validate_file(path: Path, *, engines: bool = True, rule_tests: list[Path] | None = None,
                  dhis2_version: str | None = None) -> ValidationReport:
    """Validate a package file: a built package of ours or any DHIS2 metadata export."""
    return validate_source(load_file(path, rule_tests=rule_tests), engines=engines, dhis2_version=dhis2_version)


def validate_path(path: Path | None = None, *, engines: bool = True,
                  dhis2_version: str | None = None) -> ValidationReport:
    """A folder is our package's sources; a file is a package. None: the installed package."""
    return validate_source(load_source(path), engines=engines, dhis2_version=dhis2_version)


__all__ = [
    "EngineUnavailable",
    "ValidationReport",
    "target_release",
    "validate_file",
    "validate_folder",
    "validate_package",
    "validate_path",
    "validate_source",
]
