"""`check_android`: the whole replay for one signed-in user, in the SDK's order (login, metadata,
tracker data, an optional upload), ending in an `AndroidReport`."""

from __future__ import annotations

from scdi.connector.android import checks, login, metadata, tracker
from scdi.connector.android.replay import Replay, SyncStopped
from scdi.connector.android.report import AndroidReport, ProgramOnPhone, StageOnPhone
from scdi.connector.android.upload import upload_member
from scdi.connector.client import Dhis2Client


def check_android(client: Dhis2Client, *, upload: bool = False, org_unit: str | None = None) -> AndroidReport:
    """`client` is signed in as the user whose phone is replayed. `upload`: also send a synthetic
    member with an attendance event in the SDK's shape, and delete it afterwards."""
    replay = Replay(client)
    report = AndroidReport(base_url=client.base_url, username=client.username or "")
    try:
        account = login.log_in(replay)
        report.server_version, report.settings_app = account.version, account.settings_app
        login.start_metadata(replay, account)
        report.capture_org_units, report.search_org_units = len(account.capture), len(account.search)
        download = metadata.download(replay, account)
    except SyncStopped:
        report.findings, report.requests = replay.findings, len(replay.calls)
        return report
    readable = _readable_programs(client)
    findings = [*replay.findings, *checks.check_all(download, account, readable)]
    fatal = any(f.impact == "FATAL" for f in findings)
    records: list[tracker.Records] = []
    if not fatal:  # the metadata transaction rolled back: nothing to download records for
        records, more = tracker.download(client, account, download)
        findings += more
        report.org_units_downloaded = len(download.org_units)
        report.programs = _on_phone(download, records)
    if upload and not fatal:
        report.upload = upload_member(client, account, download, org_unit=org_unit)
    report.findings = findings
    report.requests = len(replay.calls)
    return report


def _readable_programs(client: Dhis2Client) -> dict[str, str]:
    """uid -> name of the programs the user may data-read (`ProgramService#getCurrentUserPrograms`)."""
    uids = sorted(str(p) for p in (client.get("me", params={"fields": "programs"}) or {}).get("programs") or [])
    names: dict[str, str] = {}
    for start in range(0, len(uids), 50):
        chunk = ",".join(uids[start:start + 50])
        for p in client.get("programs", params={"filter": f"id:in:[{chunk}]", "fields": "id,name",
                                                "paging": "false"}).get("programs") or []:
            names[str(p["id"])] = str(p.get("name", ""))
    return {uid: names.get(uid, "") for uid in uids}


def _on_phone(d: metadata.Download, records: list[tracker.Records]) -> list[ProgramOnPhone]:
    """The programs left after the FK cleaner (`checks.prune`)."""
    counts = {r.program: r for r in records}
    out = []
    for program in sorted(d.programs.values(), key=lambda p: str(p.get("name", ""))):
        stages = sorted((s for s in d.stages.values() if (s.get("program") or {}).get("id") == program["id"]),
                        key=lambda s: (s.get("sortOrder") or 0, str(s.get("name", ""))))
        r = counts.get(program["id"]) or tracker.Records(program=program["id"])
        out.append(ProgramOnPhone(
            uid=program["id"], code=program.get("code"), name=str(program.get("displayName") or program.get("name")),
            registration=program.get("programType") == "WITH_REGISTRATION",
            writable=bool(((program.get("access") or {}).get("data") or {}).get("write")),
            stages=[StageOnPhone(uid=s["id"], name=str(s.get("displayName") or s.get("name")),
                                 writable=bool(((s.get("access") or {}).get("data") or {}).get("write")))
                    for s in stages],
            tracked_entities=r.tracked_entities, enrollments=r.enrollments, events=r.events,
            download_limit=r.limit))
    return out
