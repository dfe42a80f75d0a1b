"""Deploy the package to a DHIS2 server, safely and only when something changed.

Steps: preflight (server release in the supported window and at least the package's minimum,
import authority, instance references such as the default category combo and the root org
unit mapped), the diff against the server, `POST /api/metadata` with `importMode=VALIDATE`,
then `COMMIT` with `atomicMode=ALL`, the Android Settings App keys merged into the
`ANDROID_SETTINGS_APP` datastore namespace, and the installed record written last. Only new or
changed objects are sent; an unchanged package writes nothing. DHIS2's import report is mapped
back to file, object and property (`report_findings`), never shown raw.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field

from scdi.connector.authorities import deploy_authorities, missing
from scdi.connector.client import Dhis2Client
from scdi.connector.errors import (
    DeployInterrupted,
    DowngradeRefused,
    OtherPackageInstalled,
    ServerError,
    ValidationFailed,
)
from scdi.connector.findings import Finding, Severity, errors_of, finding
from scdi.connector.metadata.diff import (
    SERVER_MEMBERSHIP,
    PackageDiff,
    TypeCounts,
    content_hash,
    diff_package,
    exists,
    fetch_server_objects,
    package_objects,
    server_hashes,
)
from scdi.connector.metadata.index import DEFAULT_CATEGORY_UIDS, Dependency
from scdi.connector.metadata.installed import (
    DEPLOY_KEY,
    KEY,
    NAMESPACE,
    DeployMarker,
    HistoryEntry,
    InstalledRecord,
    checksum,
    read_record,
    version_key,
)
from scdi.connector.metadata.package import SEMVER_PATTERN
from scdi.connector.metadata.source import PackageSource
from scdi.connector.metadata.status import DriftedObject, drift_of
from scdi.connector.metadata.validate import validate_source
from scdi.connector.reports import MetadataImportReport
from scdi.upstream.releases import minor_of

ANDROID_NAMESPACE = "ANDROID_SETTINGS_APP"
IMPORT_AUTHORITIES = {"ALL", "F_METADATA_IMPORT"}
ROOT_PLACEHOLDER = "<OU_ROOT_UID>"
# Properties an instance owns on objects the package ships: kept from the server on update,
# because an update replaces the whole object (mergeMode is gone from 2.41).
INSTANCE_OWNED = {"programs": ("organisationUnits", "sharing"), "dataSets": ("organisationUnits", "sharing")}
IMPORT_PARAMS = {"atomicMode": "ALL", "identifier": "UID", "importStrategy": "CREATE_AND_UPDATE",
                 "importReportMode": "ERRORS", "skipSharing": "false"}


class DeployReport(BaseModel):
    code: str
    version: str
    checksum: str
    server_version: str
    installed_before: str | None = None
    dry_run: bool
    unchanged_package: bool = False
    types: dict[str, TypeCounts] = Field(default_factory=dict)
    android_keys_written: list[str] = Field(default_factory=list)
    mapped_references: dict[str, str] = Field(default_factory=dict)
    removed_on_server: list[str] = Field(default_factory=list)
    # Objects changed on the server by hand since the installed deploy that this deploy
    # overwrites (with --overwrite-drift) or, on a dry run, would overwrite.
    overwritten_drift: list[DriftedObject] = Field(default_factory=list)
    requests: int = 0
    writes: int = 0
    notes: list[str] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = self.model_dump(mode="json")
        data["types"] = {t: c.model_dump() for t, c in sorted(self.types.items())}
        return data


class _Counter:
    """Counts requests and writes made through the client during one deploy."""

    def __init__(self, client: Dhis2Client) -> None:
        self.client = client
        self.requests = 0
        self.writes = 0

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        self.requests += 1
        return self.client.get(path, params=params)

    def import_metadata(self, payload: Any, params: Mapping[str, Any], *, write: bool) -> MetadataImportReport:
        self.requests += 1
        self.writes += int(write)
        return self.client.import_metadata(payload, params=params)

    def datastore_put(self, namespace: str, key: str, value: Any) -> None:
        self.requests += 1
        self.writes += 1
        self.client.datastore_put(namespace, key, value)


# --- preflight ---------------------------------------------------------------------------


def preflight(client: Dhis2Client, pkg: Mapping[str, Any],
              dependencies: Mapping[str, Dependency]) -> tuple[list[Finding], dict[str, str]]:
    """Problems that stop a deploy, and the instance references to rewrite (old → new UID)."""
    problems: list[Finding] = []
    release = client.release  # raises UnsupportedServer outside the window
    block = pkg.get("package") if isinstance(pkg.get("package"), dict) else {}
    minimum = minor_of(str((block or {}).get("DHIS2Version", "")))
    if minimum and version_key(release.minor + ".0") < version_key(minimum + ".0"):
        problems.append(_problem("preflight.server-version",
                                 f"the package needs DHIS2 {minimum} or newer; the server runs "
                                 f"{client.server_version}"))
    authorities = set(client.me().get("authorities") or [])
    if not authorities & IMPORT_AUTHORITIES:
        problems.append(_problem("preflight.authority",
                                 f"user {client.username!r} may not import metadata (needs ALL or "
                                 "F_METADATA_IMPORT)"))
    mapping: dict[str, str] = {}
    wanted = dict(dependencies)
    for uid, type_name in DEFAULT_CATEGORY_UIDS.items():
        if type_name == "categoryCombo" and _references(pkg, uid):
            wanted.setdefault(uid, Dependency(uid=uid, type=type_name, name="default"))
    for uid, dependency in sorted(wanted.items()):
        plural = (dependency.type or "") + "s"
        if not dependency.type or not _references(pkg, uid):
            continue
        if exists(client, plural, uid):
            continue
        replacement = _default_of(client, plural) if dependency.name == "default" else None
        if replacement:
            mapping[uid] = replacement
        else:
            problems.append(_problem("preflight.instance-reference",
                                     f"{dependency.type} {uid} ({dependency.name or 'declared dependency'}) "
                                     "is not on the server"))
    if _references(pkg, ROOT_PLACEHOLDER):
        roots = client.get("organisationUnits", params={"level": 1, "fields": "id", "paging": "false"})
        found = [o["id"] for o in (roots or {}).get("organisationUnits", []) if isinstance(o, dict)]
        if len(found) == 1:
            mapping[ROOT_PLACEHOLDER] = found[0]
        else:
            problems.append(_problem("preflight.instance-reference",
                                     f"{ROOT_PLACEHOLDER} needs exactly one root org unit; "
                                     f"the server has {len(found)}"))
    return problems, mapping


def _problem(check: str, message: str) -> Finding:
    return finding(Severity.ERROR, check, message)


def _references(value: Any, uid: str) -> bool:
    if isinstance(value, dict):
        return any(_references(v, uid) for v in value.values())
    if isinstance(value, list):
        return any(_references(v, uid) for v in value)
    return isinstance(value, str) and value == uid


def _default_of(client: Dhis2Client, plural: str) -> str | None:
    answer = client.get(plural, params={"filter": "name:eq:default", "fields": "id", "paging": "false"})
    items = (answer or {}).get(plural, []) if isinstance(answer, dict) else []
    return items[0]["id"] if len(items) == 1 and isinstance(items[0], dict) else None


def apply_mapping(value: Any, mapping: Mapping[str, str]) -> Any:
    if not mapping:
        return value
    if isinstance(value, dict):
        return {k: apply_mapping(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        return [apply_mapping(v, mapping) for v in value]
    return mapping.get(value, value) if isinstance(value, str) else value


# --- import report → findings ------------------------------------------------------------


def report_findings(report: MetadataImportReport, pkg: Mapping[str, Any],
                    source_files: Mapping[str, str] | None = None) -> list[Finding]:
    """DHIS2's import report as findings naming the file, object and property."""
    objects = {o["id"]: (plural, o) for plural, items in package_objects(pkg).items() for o in items}
    findings: list[Finding] = []
    for type_report, object_report, error in report.errors():
        uid = object_report.uid
        plural, obj = objects.get(uid or "", (None, {}))
        findings.append(finding(
            Severity.ERROR, f"deploy.{error.error_code or 'import'}", error.message or "refused by DHIS2",
            file=(source_files or {}).get(uid or "", "package"),
            object_type=type_report.type_name or plural,
            name=obj.get("name") or obj.get("code") or object_report.display_name,
            uid=uid or error.main_id, property=error.error_property))
    if not findings:
        findings.append(finding(Severity.ERROR, "deploy.import", report.message or "DHIS2 refused the import"))
    return _summarise_security(findings)


SECURITY_CODES = ("deploy.E3000", "deploy.E3001", "deploy.E3002")  # SecurityCheck: no authority or sharing


def _summarise_security(findings: list[Finding]) -> list[Finding]:
    """DHIS2 refuses every object of a type the user may not write, one E3000 each: one
    finding per type and code says the same."""
    kept: list[Finding] = []
    grouped: dict[tuple[str, str], list[Finding]] = {}
    for item in findings:
        if item.code in SECURITY_CODES:
            grouped.setdefault((item.code, item.object_type or ""), []).append(item)
        else:
            kept.append(item)
    for (code, type_name), items in sorted(grouped.items()):
        message = items[0].message if len(items) == 1 else (
            f"{len(items)} {type_name or 'objects'} refused: {items[0].message} "
            "(`scdi doctor` lists the authorities a deploy needs)")
        kept.append(items[0] if len(items) == 1 else finding(Severity.ERROR, code, message, file="package",
                                                             object_type=type_name or None))
    return kept


# --- Android settings --------------------------------------------------------------------


def merge_settings(current: Any, ours: Any) -> Any:
    """Our keys over the server's; keys the package does not own are kept as they are."""
    if isinstance(current, dict) and isinstance(ours, dict):
        merged = dict(current)
        for key, value in ours.items():
            merged[key] = merge_settings(current.get(key), value)
        return merged
    return copy.deepcopy(ours)


# --- deploy ------------------------------------------------------------------------------


def _payload(diff: PackageDiff, pkg: Mapping[str, Any], server: Mapping[str, Mapping[str, dict[str, Any]]],
             mapping: Mapping[str, str]) -> dict[str, list[dict[str, Any]]]:
    wanted = {(item.type, item.uid) for item in diff.changed}
    payload: dict[str, list[dict[str, Any]]] = {}
    for plural, items in package_objects(pkg).items():
        for obj in items:
            if (plural, obj["id"]) not in wanted:
                continue
            out = apply_mapping(copy.deepcopy(obj), mapping)
            existing = server.get(plural, {}).get(obj["id"])
            for prop in INSTANCE_OWNED.get(plural, ()):
                if existing is not None and prop not in out and prop in existing:
                    out[prop] = existing[prop]
            for prop in SERVER_MEMBERSHIP.get(plural, ()):
                if existing is not None and prop in existing:
                    out[prop] = existing[prop]
            payload.setdefault(plural, []).append(out)
    return payload


def deploy(
    client: Dhis2Client,
    pkg: dict[str, Any],
    *,
    dry_run: bool = False,
    force: bool = False,
    overwrite_drift: bool = False,
    dependencies: Mapping[str, Dependency] | None = None,
    android_settings: Mapping[str, Any] | None = None,
    source_files: Mapping[str, str] | None = None,
    now: dt.datetime | None = None,
) -> DeployReport:
    """Deploy `pkg`. `force`: allow an older version than the installed one, or replace the
    record of another package; `overwrite_drift`: overwrite objects changed on the server by
    hand since the installed deploy (without it, they stop the deploy before any write)."""
    counter = _Counter(client)
    block = pkg.get("package") if isinstance(pkg.get("package"), dict) else None
    if not block or not block.get("code") or not block.get("version"):
        raise ValidationFailed("the package has no `package` block with code and version",
                               hint="Deploy a package built with `scdi metadata build`.")
    if not SEMVER_PATTERN.match(str(block["version"])):
        raise ValidationFailed(f"package version {block['version']!r} is not a semantic version (such as 1.1.0)",
                               hint="The installed record orders versions to refuse downgrades; "
                                    "give the package a semantic version.")
    problems, mapping = preflight(client, pkg, dependencies or {})
    if problems:
        raise ValidationFailed("preflight failed: " + "; ".join(p.message for p in problems),
                               findings=problems)
    record = read_record(client)
    counter.requests += 1
    version, sum_ = str(block["version"]), checksum(pkg)
    report = DeployReport(code=str(block["code"]), version=version, checksum=sum_,
                          server_version=client.server_version, dry_run=dry_run,
                          installed_before=record.version if record else None,
                          mapped_references=dict(mapping))
    if record and record.code != report.code and not force:
        raise OtherPackageInstalled(f"the server's installed record is of {record.code} {record.version}; "
                                    f"this package is {report.code} {version}")
    if record and version_key(version) < version_key(record.version) and not force:
        raise DowngradeRefused(f"the server has {record.code} {record.version}; this package is {version}")
    if record and record.version == version and record.checksum != sum_:
        # The same version with other content means two different packages carry one name:
        # status and drift can no longer tell which one a server has.
        report.notes.append(f"the server already has {record.code} {version} with different content; this deploy "
                            "replaces it. Give a changed package a new version (metadata/CHANGELOG.md)")
    objects = package_objects(pkg)
    server = fetch_server_objects(client, {p: [o["id"] for o in objs] for p, objs in objects.items()})
    counter.requests += len(objects)
    diff = diff_package(client, apply_mapping(pkg, mapping), record.objects if record else None, server)
    report.types = diff.by_type()
    report.removed_on_server = [f"{r.type}/{r.uid}" for r in diff.removed if r.on_server]
    if report.removed_on_server:
        report.notes.append(f"{len(report.removed_on_server)} object(s) of the installed version are not in this "
                            "package and stay on the server (DHIS2 import never deletes); remove them by hand "
                            "once no data uses them")
    android = _android_changes(counter, android_settings or {})
    metadata_changed = bool(diff.changed)
    if not metadata_changed and not android and record and record.checksum == sum_:
        report.unchanged_package = True
        report.requests, report.writes = counter.requests, counter.writes
        return report
    payload = _payload(diff, pkg, server, mapping)
    _check_authorities(client, payload)
    if record and record.code == report.code and payload:
        drift = drift_of(client, pkg, record, server)
        sent = {(plural, o["id"]) for plural, items in payload.items() for o in items}
        report.overwritten_drift = [d for d in drift.objects if d.state == "changed" and (d.type, d.uid) in sent]
        if report.overwritten_drift and not overwrite_drift and not dry_run:
            raise ValidationFailed(
                f"{len(report.overwritten_drift)} object(s) changed on the server by hand since the deploy of "
                f"{record.version} would be overwritten; nothing was written",
                findings=[finding(Severity.ERROR, "deploy.drift",
                                  "changed on the server since the deploy; this deploy would overwrite it",
                                  file=(source_files or {}).get(d.uid, "package"), object_type=d.type,
                                  name=d.name, uid=d.uid) for d in report.overwritten_drift],
                hint="Review them (`scdi metadata diff`), then deploy with --overwrite-drift to replace them "
                     "with the package's version, or carry the edits into the package first.")
        if report.overwritten_drift and dry_run:
            report.notes.append(f"{len(report.overwritten_drift)} object(s) changed by hand on the server would be "
                                "overwritten (the deploy needs --overwrite-drift)")
    if payload:
        _import(counter, payload, "VALIDATE", pkg, source_files)
    if dry_run:
        report.android_keys_written = sorted(android)
        report.requests, report.writes = counter.requests, counter.writes
        return report
    when = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    first_step = "metadata import" if payload else "Android settings" if android else "the installed record"
    marker = DeployMarker(code=report.code, version=version, checksum=sum_, started_at=when,
                          started_by=client.username, step=first_step)
    try:
        counter.datastore_put(NAMESPACE, DEPLOY_KEY, marker.dump())
        if payload:
            try:
                _import(counter, payload, "COMMIT", pkg, source_files)
            except ValidationFailed:
                # atomicMode=ALL: a refused commit wrote nothing; the marker says so.
                counter.datastore_put(NAMESPACE, DEPLOY_KEY, marker.model_copy(update={"state": "refused"}).dump())
                raise
            if android:
                marker = marker.model_copy(update={"step": "Android settings"})
                counter.datastore_put(NAMESPACE, DEPLOY_KEY, marker.dump())
        for key, value in sorted(android.items()):
            counter.datastore_put(ANDROID_NAMESPACE, key, value)
        report.android_keys_written = sorted(android)
        if marker.step != "the installed record":
            marker = marker.model_copy(update={"step": "the installed record"})
            counter.datastore_put(NAMESPACE, DEPLOY_KEY, marker.dump())
        _finish(client, counter, report, record, pkg, block, payload, server, android_settings, when)
        counter.datastore_put(NAMESPACE, DEPLOY_KEY, marker.model_copy(update={
            "state": "finished", "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}).dump())
    except ServerError as exc:
        raise DeployInterrupted(
            f"the deploy of {report.code} {version} was interrupted at {marker.step}: {exc.message}",
            hint="DHIS2 may have applied part of it. Run `scdi metadata deploy` again: it sends only what is "
                 "still missing (`scdi metadata status` shows where it stopped).",
            status=exc.status, error_code=exc.error_code, url=exc.url) from exc
    report.requests, report.writes = counter.requests, counter.writes
    return report


def _check_authorities(client: Dhis2Client, payload: Mapping[str, Any]) -> None:
    """The authorities DHIS2 will ask for each type about to be written, as one finding
    instead of one E3000 per object."""
    if not payload:
        return
    lacking = missing(deploy_authorities(payload), client.me().get("authorities") or [])
    if lacking:
        count = sum(len(items) for items in payload.values())
        raise ValidationFailed(
            f"user {client.username!r} lacks {len(lacking)} authorit{'y' if len(lacking) == 1 else 'ies'} "
            f"to write the package's {count} changed object(s): {', '.join(lacking)}; nothing was written",
            hint="Ask a DHIS2 administrator for a role with them (`scdi doctor` lists what a deploy needs), "
                 "or deploy as a user who has them.")


def _finish(client: Dhis2Client, counter: _Counter, report: DeployReport, record: InstalledRecord | None,
            pkg: dict[str, Any], block: Mapping[str, Any], payload: Mapping[str, list[dict[str, Any]]],
            server: Mapping[str, Mapping[str, dict[str, Any]]], android_settings: Mapping[str, Any] | None,
            when: str) -> None:
    """Write the installed record: the server's objects as stored after the import."""
    version, sum_ = report.version, report.checksum
    # The record hashes the server's objects as stored; only those just imported can differ
    # from what was read before the import.
    imported = {plural: [o["id"] for o in items] for plural, items in payload.items()}
    after = {plural: dict(found) for plural, found in server.items()}
    for plural, found in fetch_server_objects(client, imported).items():
        after.setdefault(plural, {}).update(found)
    counter.requests += len(imported)
    history = list(record.history) if record and record.code == report.code else []
    if record and (record.version != version or record.checksum != sum_):
        history.append(HistoryEntry(version=record.version, checksum=record.checksum,
                                    installed_at=record.installed_at, installed_by=record.installed_by))
    new_record = InstalledRecord(
        code=str(block["code"]), version=version, checksum=sum_, installed_at=when,
        installed_by=client.username, dhis2_version=client.server_version,
        objects=server_hashes(pkg, after, client.release.minor),
        package_objects={plural: {o["id"]: content_hash(o, None, plural) for o in items}
                         for plural, items in package_objects(pkg).items() if items},
        android_settings={k: _settings_hash(v) for k, v in (android_settings or {}).items()},
        history=history[-20:])
    counter.datastore_put(NAMESPACE, KEY, new_record.dump())


def _settings_hash(value: Any) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps(value, sort_keys=True).encode("utf-8")).hexdigest()[:16]


def _android_changes(counter: _Counter, settings: Mapping[str, Any]) -> dict[str, Any]:
    """Datastore keys whose merged value differs from what the server has."""
    changes: dict[str, Any] = {}
    for key, ours in sorted(settings.items()):
        current = counter.client.datastore_get(ANDROID_NAMESPACE, key)
        counter.requests += 1
        merged = merge_settings(current, ours)
        if merged != current:
            changes[key] = merged
    return changes


def _import(counter: _Counter, payload: dict[str, Any], mode: str, pkg: Mapping[str, Any],
            source_files: Mapping[str, str] | None) -> MetadataImportReport:
    report = counter.import_metadata(payload, params={**IMPORT_PARAMS, "importMode": mode}, write=mode == "COMMIT")
    if not report.ok:
        findings = report_findings(report, pkg, source_files)
        raise ValidationFailed(
            f"DHIS2 refused the package ({mode}): {len(findings)} error(s); nothing was written"
            if mode == "VALIDATE" or IMPORT_PARAMS["atomicMode"] == "ALL" else "DHIS2 refused part of the import",
            findings=findings)
    return report


def deploy_source(client: Dhis2Client, source: PackageSource, *, dry_run: bool = False, force: bool = False,
                  overwrite_drift: bool = False, validate_first: bool = True) -> DeployReport:
    """Validate for the server's release (DHIS2's engines when Node is there), then deploy;
    errors stop before any write."""
    if validate_first:
        errors = errors_of(validate_source(source, engines=None, dhis2_version=client.release.minor).findings)
        if errors:
            raise ValidationFailed(f"the package has {len(errors)} validation error(s); nothing was sent",
                                   findings=errors,
                                   hint="Run `scdi metadata validate` and fix the errors.")
    return deploy(client, source.package, dry_run=dry_run, force=force, overwrite_drift=overwrite_drift,
                  dependencies=source.dependencies,
                  android_settings=source.android_settings, source_files=source.source_files)


__all__ = ["DeployReport", "deploy", "deploy_source", "merge_settings", "preflight", "report_findings"]
