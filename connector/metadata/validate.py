"""Validate a DHIS2 metadata package: our own (the `metadata/` folder) or any package file.

    report = validate_path(Path("metadata"))          # builds, attributes findings to sources
    report = validate_path(Path("who-package.json"))   # any DHIS2 export or package file

Checks, one module per family in `checks/`: structure (published JSON Schemas), identity, references,
DHIS2's package-validator rules, Android, expressions (DHIS2's parsers), behaviour (rule test
cases through DHIS2's rule engine), translations and privacy. Expressions and behaviour share
one Node process per run. Our own package (code `SCDI_…`, or the metadata folder) is held to
the project's rules (Vietnamese translations, privacy, rule test coverage) as errors; a
third-party package gets the same checks as warnings or a coverage summary.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from scdi.connector import findings as F
from scdi.connector.errors import EngineUnavailable, InputError
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
from scdi.connector.metadata.checks.structure import check_structure
from scdi.connector.metadata.checks.translations import check_translations, translation_coverage
from scdi.connector.metadata.engines import run_engines
from scdi.connector.metadata.index import Dependency, PackageIndex, singular_of
from scdi.connector.metadata.programs import build_model

if TYPE_CHECKING:
    from scdi.connector.metadata.package import SourceFile

OWN_PACKAGE_PREFIX = "SCDI"
REQUIRED_LOCALES = ("vi",)


class ValidationReport(BaseModel):
    source: str
    package: dict[str, Any] = Field(default_factory=dict)
    strict: bool
    objects: int
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
            "objects": self.objects, "ruleCases": self.rule_cases, "engines": self.engines,
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
) -> ValidationReport:
    """Every check over an in-memory package. `engines=False` skips the Node checks (and says
    so in a finding) for machines without Node."""
    raw_block = package.get("package")
    block: dict[str, Any] = raw_block if isinstance(raw_block, dict) else {}
    if strict is None:
        strict = str(block.get("code", "")).startswith(OWN_PACKAGE_PREFIX)
    index = PackageIndex.build(package, default_file=default_file, source_files=source_files,
                               dependencies=dependencies)
    model = build_model(index)
    findings: list[Finding] = []
    findings += check_structure(index)
    findings += check_identity(index)
    findings += check_references(index)
    findings += check_package_rules(index, model)
    findings += check_android(index, android_settings)
    if strict:
        findings += check_translations(index, required=REQUIRED_LOCALES)
    else:
        findings += translation_coverage(index)
    findings += check_privacy(index, model, strict=strict)

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
        source=source, package=dict(block), strict=strict, objects=len(index.objects),
        findings=F.sort_findings(F.dedupe(findings)), engines=versions,
        rule_cases=len(behaviour_plan.jobs),
    )


def read_json(path: Path) -> Any:
    """A JSON file, or InputError naming it (unreadable, or not JSON and where)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                         file=str(path)) from exc


def read_dependencies(path: Path) -> dict[str, Dependency]:
    """`dependencies.json` of a package folder: objects the instance provides."""
    if not path.is_file():
        return {}
    document = read_json(path)
    out: dict[str, Dependency] = {}
    for item in document.get("dependencies", []) if isinstance(document, dict) else []:
        if isinstance(item, dict) and isinstance(item.get("uid"), str):
            kind = item.get("type")
            out[item["uid"]] = Dependency(
                uid=item["uid"], type=singular_of(kind) if isinstance(kind, str) else None,
                name=item.get("code") or item.get("name"), note=item.get("why"))
    return out


def read_android_settings(folder: Path) -> dict[str, Any]:
    """`android-settings/<key>.json` files: one datastore key of ANDROID_SETTINGS_APP each."""
    if not folder.is_dir():
        return {}
    return {path.stem: read_json(path) for path in sorted(folder.glob("*.json"))}


def source_file_map(files: list[SourceFile]) -> dict[str, str]:
    """UID → the source file (relative to the metadata folder) that defines it, embedded objects
    included."""
    from scdi.connector.metadata.package import EMBEDDED

    source_files: dict[str, str] = {}
    for source in files:
        for obj in source.objects:
            uid = str(obj.get("id"))
            source_files[uid] = source.path
            for collection in EMBEDDED.get(source.type, ()):
                for child in obj.get(collection) or []:
                    if isinstance(child, dict) and isinstance(child.get("id"), str):
                        source_files[child["id"]] = source.path
    return source_files


def rule_test_files(root: Path) -> list[Path]:
    """A source folder's rule test cases (`rule-tests/*.json`); none is an empty list."""
    tests_dir = root / "rule-tests"
    return sorted(tests_dir.glob("*.json")) if tests_dir.is_dir() else []


def validate_folder(root: Path, *, engines: bool = True) -> ValidationReport:
    """Build our package from its source folder and validate it, naming source files."""
    from scdi.connector.metadata.package import build_package, read_source_files

    files = read_source_files(root)  # read once: for the package and for naming source files
    return validate_package(
        build_package(root, files=files), source=str(root), default_file="package.json",
        source_files=source_file_map(files),
        dependencies=read_dependencies(root / "dependencies.json"),
        rule_tests=load_rule_tests(rule_test_files(root), label_root=root),
        android_settings=read_android_settings(root / "android-settings"), strict=True,
        engines=engines)


def validate_file(path: Path, *, engines: bool = True, rule_tests: list[Path] | None = None) -> ValidationReport:
    """Validate a package file: a built package of ours or any DHIS2 metadata export."""
    document = read_json(path)
    if not isinstance(document, dict):
        raise InputError("a DHIS2 metadata file is a JSON object of type lists", file=str(path))
    tests = load_rule_tests(rule_tests) if rule_tests else None
    dependencies = read_dependencies(path.with_name("dependencies.json"))
    return validate_package(document, source=str(path), default_file=path.name,
                            dependencies=dependencies, rule_tests=tests, engines=engines)


def validate_path(path: Path | None = None, *, engines: bool = True) -> ValidationReport:
    """A folder is our package's sources; a file is a package. None: the installed package."""
    if path is None:
        from scdi.connector.metadata.package import default_root

        root = default_root()
        if not isinstance(root, Path):
            root = Path(str(root))
        return validate_folder(root, engines=engines)
    if path.is_dir():
        return validate_folder(path, engines=engines)
    if not path.exists():
        raise InputError("no such file or folder", file=str(path))
    return validate_file(path, engines=engines)


__all__ = [
    "EngineUnavailable",
    "ValidationReport",
    "validate_file",
    "validate_folder",
    "validate_package",
    "validate_path",
]
