"""The system settings that have been set: DHIS2's `systemsetting` table (name → value).

2.42.5 / 2.43.1 keep the text `LazySettings#format` gave the value
(`setting/DefaultSystemSettingsService#putAll`); 2.41.9 keeps the object
`SettingKey#getAsRealClass` made of it (`DefaultSystemSettingManager#saveSystemSetting`), which
the sandbox keeps as that text too and types again when it is read. Confidential values are
encrypted in DHIS2 and kept in the clear here (only their being set is observable)."""

from __future__ import annotations

from scdi.sandbox.core.store import Store

TABLES = """
CREATE TABLE IF NOT EXISTS system_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


def system_values(store: Store) -> dict[str, str]:
    with store.lock:
        rows = store.conn.execute("SELECT key, value FROM system_settings").fetchall()
    return {key: value for key, value in rows}


def put(store: Store, values: dict[str, str]) -> None:
    with store.lock:
        store.conn.executemany(
            "INSERT INTO system_settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", list(values.items()))


def delete(store: Store, keys: list[str]) -> None:
    with store.lock:
        store.conn.executemany("DELETE FROM system_settings WHERE key = ?", [(k,) for k in keys])
