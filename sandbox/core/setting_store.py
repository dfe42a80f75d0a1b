"""The system settings that have been set: DHIS2's `systemsetting` table (name → value).

2.42.5 / 2.43.1 keep the text `LazySettings#format` gave the value
(`setting/DefaultSystemSettingsService#putAll`); 2.41.9 keeps the object
`SettingKey#getAsRealClass` made of it (`DefaultSystemSettingManager#saveSystemSetting`), which
the sandbox keeps as that text too and types again when it is read. Confidential values are
encrypted in DHIS2 and kept in the clear here (only their being set is observable).

Translations (`core/setting_translations.py`) are kept by key and locale: 2.41.9 holds them on
the setting's own row (`SystemSetting#translations`), so they go with it (`delete`,
`with_translations=True`); 2.42.5 / 2.43.1 in the datastore namespace `settings-translations`
(`DefaultSystemSettingsTranslationService`), apart from the setting."""

from __future__ import annotations

from scdi.sandbox.core.store import Store

TABLES = """
CREATE TABLE IF NOT EXISTS system_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS system_setting_translations (
    key TEXT NOT NULL,
    locale TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (key, locale)
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


def delete(store: Store, keys: list[str], *, with_translations: bool = False) -> None:
    with store.lock:
        store.conn.executemany("DELETE FROM system_settings WHERE key = ?", [(k,) for k in keys])
        if with_translations:
            store.conn.executemany("DELETE FROM system_setting_translations WHERE key = ?",
                                   [(k,) for k in keys])


def translation(store: Store, key: str, locale: str) -> str | None:
    with store.lock:
        row = store.conn.execute(
            "SELECT text FROM system_setting_translations WHERE key = ? AND locale = ?",
            (key, locale)).fetchone()
    return None if row is None else str(row[0])


def put_translation(store: Store, key: str, locale: str, text: str) -> None:
    """An empty text removes the translation (both services do)."""
    with store.lock:
        if text:
            store.conn.execute(
                "INSERT INTO system_setting_translations (key, locale, text) VALUES (?, ?, ?) "
                "ON CONFLICT(key, locale) DO UPDATE SET text = excluded.text", (key, locale, text))
        else:
            store.conn.execute(
                "DELETE FROM system_setting_translations WHERE key = ? AND locale = ?",
                (key, locale))
