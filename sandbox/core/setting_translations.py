"""Writing system setting translations: `POST /api/systemSettings/{key}?locale=l` (the text as
`?value=` or, 2.42+, as a text/plain body) and `DELETE /api/systemSettings/{key}?locale=l`.
The reads are `core/settings.py#system_setting` and `#login_config`; the store
`core/setting_store.py`. The translatable keys are the catalog's (`data/settings/<tag>.json`):
the same six at every tag, `applicationTitle`, `keyApplicationIntro`,
`keyApplicationNotification`, `keyApplicationFooter`, `keyApplicationRightFooter`, `loginPopup`.

- 2.42.5 / 2.43.1 `webapi/controller/SystemSettingsController.java#putSystemSettingTranslation`
  (`params = {"locale", "value"}`, 2.42.5 :222-238, 2.43.1 :219-235), `#putSystemSettingTranslation
  Body` (`params = "locale"`, text/plain, :240-249 / :237-246), `#removeSystemSettingTranslation`
  (`params = "locale"`, :251-258 / :248-255), and `setting/DefaultSystemSettingsTranslationService
  #putSystemSettingTranslation` (2.42.5 :77-110, 2.43.1 :75-108): no key is checked, a key that
  is not translatable (an unknown one too) is 400 E1003 "Not translatable: k"; the text is kept
  per locale in the datastore namespace `settings-translations` (entry = the key, an object
  locale → text), an empty text removes the locale. The locale is kept as sent.
- 2.41.9 `webapi/controller/SystemSettingController.java#setSystemSettingOrTranslation`/
  `#saveSystemSettingTranslation` (:107-153) and `#removeSystemSetting` (:323-338),
  `setting/DefaultSystemSettingManager.java#saveSystemSettingTranslation` (:132-148): a non-empty
  `locale` makes the value a translation of any known key (translatable or not; only the reads
  ask), kept on the setting's row: no row (the setting never set, or deleted) is
  IllegalStateException "No entry found for key: k", a returned 409 without errorCode; an empty
  text removes the locale (no row: nothing). `DELETE ?locale=l` removes the locale only.

Both answer 200 "Translation for system setting 'k' and locale: 'l' set to: 'v'" and DELETE 204.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

from scdi.sandbox.core import setting_store, settings, webmessage
from scdi.sandbox.core.context import Ctx


def _done(key: str, locale: str, value: str) -> Response:
    return webmessage.ok(
        f"Translation for system setting '{key}' and locale: '{locale}' set to: '{value}'")


def _check_translatable(ctx: Ctx, key: str) -> None:
    """SystemSettings#isTranslatable: only the catalog's translatable keys (an unknown key is
    none); BadRequestException, E1003."""
    setting = settings.catalog(ctx.release).system.get(key)
    if setting is None or not setting.translatable:
        raise webmessage.fail(webmessage.bad_request(f"Not translatable: {key}"))


def put(ctx: Ctx, key: str, locale: str, value: str) -> Response:
    """2.42.5+ DefaultSystemSettingsTranslationService#putSystemSettingTranslation."""
    _check_translatable(ctx, key)
    setting_store.put_translation(ctx.store, key, locale, value)
    return _done(key, locale, value)


def remove(ctx: Ctx, key: str, locale: str) -> None:
    """2.42.5+ #removeSystemSettingTranslation: the put of an empty text."""
    _check_translatable(ctx, key)
    setting_store.put_translation(ctx.store, key, locale, "")


def legacy_put(ctx: Ctx, key: str, locale: str, value: str) -> Response:
    """2.41.9 DefaultSystemSettingManager#saveSystemSettingTranslation on the setting's row."""
    if key not in setting_store.system_values(ctx.store):
        if value:
            raise webmessage.fail(webmessage.conflict_message(f"No entry found for key: {key}"))
    else:
        setting_store.put_translation(ctx.store, key, locale, value)
    return _done(key, locale, value)


def legacy_remove(ctx: Ctx, key: str, locale: str) -> None:
    if key in setting_store.system_values(ctx.store):
        setting_store.put_translation(ctx.store, key, locale, "")
