"""The SDK's login and the start of its metadata sync: the server check, `/api/me`, the Settings
App entries, `/api/system/info` with its version check, the user and system settings, constants
and the default category combo (`core/user/internal/LogInCall.kt`, `core/domain/metadata/MetadataCall.kt`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from scdi.connector.android import sdk
from scdi.connector.android import sdk_fields as fields
from scdi.connector.android.findings import Impact, sync_finding
from scdi.connector.android.replay import Replay, SyncStopped
from scdi.connector.errors import NotFound, ServerError

SYSTEM_KEYS = "keyFlag,keyStyle,keyCustomColorMobile,keyDefaultBaseMap,analyticsFinancialYearStart,analyticsWeeklyStart"


class Account(BaseModel):
    """What login and the first metadata calls leave on the phone."""

    uid: str = ""
    version: str = ""
    settings_app: bool = False  # an ANDROID_SETTINGS_APP the SDK reads
    synchronization: dict[str, Any] = Field(default_factory=dict)
    capture: list[dict[str, str]] = Field(default_factory=list)  # {id, path}
    search: list[dict[str, str]] = Field(default_factory=list)
    default_combo: str | None = None


def check_server(replay: Replay) -> None:
    """The app's server check before sign-in, without credentials: `/api/loginConfig`, and
    `/api/ping` when that fails (`core/server/internal/LoginConfigCall.kt`, `network/ping/PingService.kt`)."""
    for path in ("loginConfig", "ping"):
        status = replay.client.open_status(path)
        if status is not None and 200 <= status < 300:
            return
    replay.add(sync_finding(Impact.FATAL, "sync.server-check",
                            "neither /api/loginConfig nor /api/ping answers without credentials: the app does not "
                            "take the address as a DHIS2 server", "core/server/internal/LoginConfigCall.kt"))
    raise SyncStopped("server check")


def log_in(replay: Replay) -> Account:
    """Raises SyncStopped when the SDK would stop (the findings say why)."""
    account = Account()
    check_server(replay)
    me = replay.get("me", {"fields": fields.ME}, sdk="core/user/internal/UserAuthenticateCallErrorCatcher.kt")
    account.uid = str((me or {}).get("id", ""))
    bypass = _settings(replay, account)
    info = replay.get("system/info", {"fields": fields.SYSTEM_INFO}, sdk="core/systeminfo/internal/SystemInfoCall.kt")
    account.version = str((info or {}).get("version", ""))
    if not bypass and not account.version.startswith(sdk.SUPPORTED_PREFIXES):
        replay.add(sync_finding(Impact.FATAL, "sync.server-version",
                                f"DHIS2 {account.version or '(no version)'} is outside the versions the SDK supports "
                                f"({sdk.SUPPORTED_PREFIXES[0]}–{sdk.SUPPORTED_PREFIXES[-1]}): INVALID_DHIS_VERSION",
                                sdk.VERSION_FILE))
        raise SyncStopped("system/info")
    return account


def _settings(replay: Replay, account: Account) -> bool:
    """The Settings App entries (`core/settings/internal/SettingsAppInfoCall.kt`,
    `GeneralSettingCall.kt`); answers whether the version check is bypassed."""
    namespace = sdk.SETTINGS_NAMESPACE
    try:
        info = replay.client.get(f"dataStore/{namespace}/info")
    except NotFound:
        return False  # no settings app (the SDK then probes v1's general_settings; none sent here)
    except ServerError:
        return False
    version = str((info or {}).get("dataStoreVersion", "")) if isinstance(info, dict) else ""
    if version not in sdk.SETTINGS_VERSIONS:
        replay.add(sync_finding(Impact.FATAL, "sync.settings-entry",
                                f"dataStore {namespace}/info has dataStoreVersion {version or '(none)'!r}; the SDK "
                                f"reads only {', '.join(sorted(sdk.SETTINGS_VERSIONS))}",
                                "core/settings/internal/SettingsAppInfoCall.kt"))
        raise SyncStopped("settings info")
    account.settings_app = True
    general = replay.get(f"dataStore/{namespace}/generalSettings", None,
                         sdk="core/settings/internal/GeneralSettingCall.kt", fatal=False)
    if isinstance(general, dict) and not isinstance(general.get("encryptDB"), bool):
        replay.add(sync_finding(Impact.DEGRADED, "sync.settings-entry",
                                f"dataStore {namespace}/generalSettings has no boolean 'encryptDB': the SDK cannot "
                                "read the general settings and ignores them",
                                "core/settings/internal/GeneralSettingCall.kt"))
        general = None
    sync = replay.get(f"dataStore/{namespace}/synchronization", None,
                      sdk="core/settings/internal/SynchronizationSettingCall.kt", fatal=False)
    account.synchronization = sync if isinstance(sync, dict) else {}
    return bool((general or {}).get("bypassDHIS2VersionCheck"))


def start_metadata(replay: Replay, account: Account) -> None:
    """M4 … M18: each call is fatal to the metadata sync."""
    if minor(account.version) >= 41:
        replay.get("loginConfig", None, sdk="core/server/internal/LoginConfigDownloader.kt")
    replay.get("userSettings", {"fields": "keyUiLocale,keyDbLocale"}, sdk="network/usersettings/UserSettingsService.kt")
    replay.get("systemSettings", {"key": SYSTEM_KEYS}, sdk="network/systemsettings/SystemSettingsService.kt")
    replay.collection("constants", "constants", {"fields": fields.CONSTANTS, "paging": "false"},
                      sdk="network/constant/ConstantService.kt")
    combos = replay.collection("categoryCombos", "categoryCombos", {
        "fields": fields.CATEGORY_COMBOS, "filter": "isDefault:eq:true", "paging": "false"},
        sdk="core/category/internal/DefaultCategoryComboManager.kt")
    default = next((c for c in combos if c.get("isDefault") is True), None)
    if default is None:
        replay.add(sync_finding(Impact.FATAL, "sync.default-category-combo",
                                "categoryCombos?filter=isDefault:eq:true answers no default combo: "
                                "'Default CategoryCombo not loaded'",
                                "network/common/dto/CategoryComboWithFallbackDTO.kt"))
        raise SyncStopped("categoryCombos")
    account.default_combo = str(default["id"])
    me = replay.get("me", {"fields": fields.ME}, sdk="core/user/internal/UserCall.kt") or {}
    for key, target in (("organisationUnits", account.capture), ("teiSearchOrganisationUnits", account.search)):
        for unit in me.get(key) or []:
            path = unit.get("path") if isinstance(unit, dict) else None
            if not path:
                replay.add(sync_finding(Impact.FATAL, "sync.missing-key",
                                        f"/api/me {key} has a unit without 'path': OrganisationUnitTree.findRoots "
                                        "throws", "core/organisationunit/OrganisationUnitTree.java",
                                        unit if isinstance(unit, dict) else None, "organisationUnit"))
                raise SyncStopped("me")
            target.append({"id": str(unit.get("id")), "path": str(path)})
    if not account.capture:
        replay.add(sync_finding(Impact.DROPPED, "sync.no-capture-org-unit",
                                "the user has no capture org unit: the phone downloads no records and cannot "
                                "register anyone", "core/tracker/exporter/TrackerDownloadCall.kt"))
    replay.get("me/authorization", None, sdk="network/authority/AuthorityService.kt")
    replay.collection("organisationUnitLevels", "organisationUnitLevels", {
        "fields": fields.ORG_UNIT_LEVELS, "paging": "false"},
        sdk="network/organisationunitlevel/OrganisationUnitLevelService.kt")


def minor(version: str) -> int:
    """41 for "2.41.9"; 0 when unreadable."""
    parts = version.split(".")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
